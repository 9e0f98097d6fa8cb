using CityPairs.Domain.Reference;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.Web.Data.Seeding;

/// <summary>
/// The SDGs and the starting theme list (DOMAIN.md), needed in every environment. Inserted when missing,
/// never overwritten: administrators edit themes, and their edits must survive a restart.
/// </summary>
public static class ReferenceData
{
    public static readonly IReadOnlyList<Sdg> Sdgs =
    [
        new() { Number = 1, Title = "No Poverty", Colour = "#E5243B" },
        new() { Number = 2, Title = "Zero Hunger", Colour = "#DDA63A" },
        new() { Number = 3, Title = "Good Health and Well-being", Colour = "#4C9F38" },
        new() { Number = 4, Title = "Quality Education", Colour = "#C5192D" },
        new() { Number = 5, Title = "Gender Equality", Colour = "#FF3A21" },
        new() { Number = 6, Title = "Clean Water and Sanitation", Colour = "#26BDE2" },
        new() { Number = 7, Title = "Affordable and Clean Energy", Colour = "#FCC30B" },
        new() { Number = 8, Title = "Decent Work and Economic Growth", Colour = "#A21942" },
        new() { Number = 9, Title = "Industry, Innovation and Infrastructure", Colour = "#FD6925" },
        new() { Number = 10, Title = "Reduced Inequalities", Colour = "#DD1367" },
        new() { Number = 11, Title = "Sustainable Cities and Communities", Colour = "#FD9D24" },
        new() { Number = 12, Title = "Responsible Consumption and Production", Colour = "#BF8B2E" },
        new() { Number = 13, Title = "Climate Action", Colour = "#3F7E44" },
        new() { Number = 14, Title = "Life Below Water", Colour = "#0A97D9" },
        new() { Number = 15, Title = "Life on Land", Colour = "#56C02B" },
        new() { Number = 16, Title = "Peace, Justice and Strong Institutions", Colour = "#00689D" },
        new() { Number = 17, Title = "Partnerships for the Goals", Colour = "#19486A" },
    ];

    /// <summary>Theme name, description and related SDGs: the crosswalk between the two vocabularies.</summary>
    public static readonly IReadOnlyList<(string Name, string Description, int[] Sdgs)> Themes =
    [
        // Urban Agenda for the EU partnerships
        ("Jobs and skills in the local economy", "Local labour markets, skills and entrepreneurship.", [4, 8]),
        ("Urban poverty", "Reducing poverty and improving deprived neighbourhoods.", [1, 10, 11]),
        ("Housing", "Affordable, adequate and sustainable housing.", [1, 11]),
        ("Inclusion of migrants and refugees", "Reception and integration of newcomers.", [10, 16]),
        ("Nature-based solutions and sustainable land use", "Land use, urban sprawl and green and blue infrastructure.", [11, 15]),
        ("Circular economy", "Reuse, repair, recycling and resource efficiency.", [8, 12]),
        ("Climate adaptation", "Preparing the city for heat, floods and drought.", [11, 13]),
        ("Energy transition", "Energy efficiency and renewable supply.", [7, 13]),
        ("Urban mobility", "Public transport, walking, cycling and clean vehicles.", [11, 13]),
        ("Air quality", "Clean air and the health effects of pollution.", [3, 11]),
        ("Digital transition", "Digital public services, data and connectivity.", [9, 16]),
        ("Public procurement", "Innovative and responsible public buying.", [12, 16]),
        ("Security in public spaces", "Safe streets, squares and events.", [11, 16]),
        ("Culture and cultural heritage", "Heritage, creative sectors and cultural life.", [11]),
        ("Sustainable tourism", "Tourism that serves residents and the environment.", [8, 12]),
        ("Food systems", "Urban food policy, short supply chains and agri-food.", [2, 12]),
        ("Cities of equality", "Equal treatment and opportunities for all residents.", [5, 10]),
        // IURC thematic networks
        ("Urban renewal", "Regeneration of neighbourhoods and brownfield sites.", [11]),
        ("Innovation", "Urban innovation ecosystems and research.", [9]),
        ("Green deal and ecological transition", "Green transition of the local economy.", [7, 12, 13]),
        ("Smart city", "Technology to run city services better.", [9, 11]),
        ("Post-Covid recovery", "Economic and social recovery after the pandemic.", [3, 8]),
        ("Blue economy", "Ports, fisheries and coastal economies.", [8, 14]),
        ("Industrial modernisation", "Modernising local industry and clusters.", [8, 9]),
        // URB-AL networks
        ("Local finance and participatory budgeting", "Municipal finance with residents deciding on budgets.", [16, 17]),
        ("Women in local decision-making", "Women's participation in local politics.", [5, 16]),
        ("Information society", "Access to information and digital inclusion.", [9, 10]),
        ("Citizen security", "Crime prevention and community safety.", [16]),
        // From the seeds
        ("Climate resilience", "Coping with climate shocks and stresses.", [11, 13]),
        ("Green infrastructure", "Parks, green roofs and corridors.", [11, 15]),
        ("Renewable energy", "Solar, wind, biomass and district energy.", [7, 13]),
        ("Water management and sanitation", "Drinking water, sanitation, storm water and flood control.", [6, 11]),
        ("Solid waste", "Collection, treatment and reduction of waste.", [11, 12]),
        ("Public health", "Health services and healthy cities.", [3]),
        ("Ageing and demographic change", "Ageing and declining populations.", [3, 10, 11]),
        ("Citizen participation", "Involving residents in decisions.", [16]),
        ("Master planning and land management", "Master plans, cadastre and land administration.", [11, 16]),
        ("Libraries", "Public libraries as places of learning and meeting.", [4, 11]),
        ("Culture and education", "Schools, culture and lifelong learning.", [4]),
        ("Youth participation", "Young people in local decision-making.", [4, 16]),
        ("Children's rights", "Child-friendly cities.", [4, 16]),
        ("Agroforestry and reforestation", "Trees, forests and farming together.", [2, 13, 15]),
        ("Disaster preparedness", "Early warning and disaster risk reduction.", [11, 13]),
        ("Migration", "Migration and its effects on cities.", [10]),
        ("Local taxation", "Own-source revenue and local taxes.", [16, 17]),
        ("E-government", "Online public services and administration.", [16]),
        ("Public space", "Design and management of public space.", [11]),
        ("Vulnerable populations", "Services for people at risk of exclusion.", [1, 10]),
        ("Social innovation", "New ways to meet social needs, with residents.", [10, 11]),
        ("Protective equipment and crisis response", "Supplies and mutual help in a crisis.", [3, 17]),
    ];

    public static async Task SeedAsync(CityPairsDbContext db, CancellationToken cancellationToken = default)
    {
        var knownSdgs = await db.Sdgs.Select(s => s.Number).ToListAsync(cancellationToken);
        db.Sdgs.AddRange(Sdgs.Where(s => !knownSdgs.Contains(s.Number))
            .Select(s => new Sdg { Number = s.Number, Title = s.Title, Colour = s.Colour }));

        var knownThemes = await db.Themes.Select(t => t.Name).ToListAsync(cancellationToken);
        db.Themes.AddRange(Themes.Where(t => !knownThemes.Contains(t.Name))
            .Select(t => new Theme { Name = t.Name, Description = t.Description, RelatedSdgs = [.. t.Sdgs] }));

        await db.SaveChangesAsync(cancellationToken);
    }
}
