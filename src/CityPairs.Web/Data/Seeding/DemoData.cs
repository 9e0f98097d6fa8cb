using CityPairs.Domain.Calls;
using CityPairs.Domain.Cities;
using CityPairs.Domain.Common;
using CityPairs.Domain.Exchanges;
using CityPairs.Domain.Partnerships;
using CityPairs.Domain.Programmes;
using CityPairs.Web.Features.Accounts;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.Web.Data.Seeding;

/// <summary>
/// The real partnerships named in the seeds (DOMAIN.md), for Development. Each record is found by its
/// natural key and added only when missing, so running the seeder again changes nothing.
/// </summary>
public static class DemoData
{
    private const ThemeInterest O = ThemeInterest.Offers;
    private const ThemeInterest S = ThemeInterest.Seeks;
    private const ThemeInterest B = ThemeInterest.Both;

    private sealed record CitySeed(
        string Name, string Country, string? AdminArea, int? Population, double Lat, double Lon, string[] Languages,
        int[] Sdgs, (string Theme, ThemeInterest Interest)[] Themes, string Profile, CityKind Kind = CityKind.City);

    private static readonly CitySeed[] CitySeeds =
    [
        // World Cities, EU-Canada
        new("Hannover", "DE", "Lower Saxony", 535_000, 52.3759, 9.7320, ["de"], [7, 11, 13],
            [("Climate resilience", B), ("Renewable energy", O), ("Urban mobility", B)], "State capital of Lower Saxony with a long-standing climate protection programme."),
        new("Ottawa", "CA", "Ontario", 1_017_000, 45.4215, -75.6972, ["en", "fr"], [11, 13],
            [("Climate resilience", S), ("Renewable energy", S), ("Green infrastructure", O)], "Canada's capital, working on its energy evolution strategy."),
        new("Almada", "PT", "Setúbal", 177_000, 38.6790, -9.1569, ["pt"], [11, 13, 14],
            [("Climate adaptation", O), ("Green infrastructure", B), ("Urban mobility", S)], "Municipality on the south bank of the Tagus with an early local climate adaptation strategy."),
        new("Saanich", "CA", "British Columbia", 117_000, 48.4840, -123.3810, ["en"], [11, 13, 15],
            [("Climate adaptation", S), ("Green infrastructure", O), ("Urban mobility", B)], "District on Vancouver Island, strong in urban forest and natural areas policy."),
        new("Vitoria-Gasteiz", "ES", "Basque Country", 253_000, 42.8467, -2.6716, ["es", "eu"], [11, 13, 15],
            [("Green infrastructure", O), ("Urban mobility", O), ("Climate resilience", B)], "European Green Capital 2012, known for its green belt and superblocks."),
        new("Edmonton", "CA", "Alberta", 1_010_000, 53.5461, -113.4938, ["en"], [7, 11, 13],
            [("Green infrastructure", S), ("Energy transition", B), ("Urban mobility", S)], "Capital of Alberta, working on its community energy transition strategy."),
        new("Tallinn", "EE", "Harju County", 438_000, 59.4370, 24.7536, ["et"], [9, 11, 13],
            [("Digital transition", O), ("Urban mobility", B), ("E-government", O)], "Capital of Estonia with free public transport for residents and digital public services."),
        new("Halifax", "CA", "Nova Scotia", 440_000, 44.6488, -63.5752, ["en"], [11, 13, 14],
            [("Climate resilience", B), ("Digital transition", S), ("Blue economy", O)], "Atlantic port region facing coastal climate risks."),
        // World Cities, EU-Japan
        new("Leipzig", "DE", "Saxony", 601_000, 51.3397, 12.3731, ["de"], [7, 11, 13],
            [("Urban renewal", O), ("Ageing and demographic change", B), ("Energy transition", B)], "City that turned population decline into growth through urban renewal."),
        new("Kumamoto", "JP", "Kumamoto Prefecture", 738_000, 32.8031, 130.7079, ["ja"], [6, 11, 13],
            [("Water management and sanitation", O), ("Disaster preparedness", B), ("Ageing and demographic change", S)], "City relying wholly on groundwater, rebuilt after the 2016 earthquakes."),
        new("Växjö", "SE", "Kronoberg", 95_000, 56.8777, 14.8091, ["sv"], [7, 13, 15],
            [("Renewable energy", O), ("Citizen participation", S), ("Green deal and ecological transition", O)], "Self-styled greenest city in Europe, fossil-fuel free ambitions since 1996."),
        new("Shimokawa", "JP", "Hokkaido", 3_000, 44.3014, 142.6336, ["ja"], [7, 11, 15],
            [("Citizen participation", O), ("Ageing and demographic change", O), ("Renewable energy", B)], "Forest town with advanced citizen engagement and biomass heating."),
        new("Riga", "LV", null, 605_000, 56.9496, 24.1052, ["lv"], [7, 11, 13],
            [("Energy transition", S), ("Urban mobility", B), ("Smart city", S)], "Capital of Latvia with a large district heating network."),
        new("Kitakyushu", "JP", "Fukuoka Prefecture", 920_000, 33.8834, 130.8752, ["ja"], [9, 12, 13],
            [("Green deal and ecological transition", O), ("Solid waste", O), ("Ageing and demographic change", B)], "Former industrial city turned environmental model city."),
        new("Burgas", "BG", null, 202_000, 42.5048, 27.4626, ["bg"], [11, 13, 14],
            [("Blue economy", B), ("Urban mobility", S), ("Smart city", S)], "Black Sea port city."),
        new("Toyama", "JP", "Toyama Prefecture", 410_000, 36.6953, 137.2113, ["ja"], [3, 11, 13],
            [("Urban mobility", O), ("Ageing and demographic change", O), ("Smart city", B)], "Compact city policy built around light rail for an ageing population."),
        // IUC and the Barcelona partnerships
        new("Surat", "IN", "Gujarat", 4_467_000, 21.1702, 72.8311, ["gu", "hi"], [6, 11, 13],
            [("Water management and sanitation", S), ("Green infrastructure", S), ("Climate resilience", B)], "Port city on the Tapi river exposed to floods and water scarcity."),
        new("Rotterdam", "NL", "South Holland", 655_000, 51.9244, 4.4777, ["nl"], [6, 11, 13],
            [("Water management and sanitation", O), ("Climate adaptation", O), ("Public space", O)], "Port city known for its water plazas that store storm water in public space."),
        new("Umeå", "SE", "Västerbotten", 130_000, 63.8258, 20.2630, ["sv"], [5, 10, 11],
            [("Social innovation", S), ("Citizen participation", B), ("Cities of equality", O)], "University city working on gender equality and participatory social innovation."),
        new("Kamakura", "JP", "Kanagawa Prefecture", 172_000, 35.3192, 139.5467, ["ja"], [8, 11, 17],
            [("Social innovation", O), ("Citizen participation", O), ("Sustainable tourism", S)], "Historic city whose 'Kamacon' brings local stakeholders together to brainstorm ideas."),
        new("Nanjing", "CN", "Jiangsu", 9_300_000, 32.0603, 118.7969, ["zh"], [3, 9, 11],
            [("Protective equipment and crisis response", O), ("Innovation", O), ("Smart city", B)], "Provincial capital that shared protective equipment with European partners in 2020."),
        new("Barcelona", "ES", "Catalonia", 1_620_000, 41.3874, 2.1686, ["es", "ca"], [10, 11, 16],
            [("Public space", O), ("Libraries", S), ("Urban renewal", O), ("Vulnerable populations", B)], "Mediterranean capital with decades of decentralised cooperation."),
        new("Medellín", "CO", "Antioquia", 2_530_000, 6.2442, -75.5812, ["es"], [4, 10, 11, 16],
            [("Libraries", O), ("Public space", B), ("Master planning and land management", B), ("Culture and education", O)], "City transformed through library parks and social urbanism."),
        new("Havana", "CU", null, 2_130_000, 23.1136, -82.3666, ["es"], [11, 16],
            [("Urban renewal", S), ("Culture and cultural heritage", B)], "Capital of Cuba, restoring its historic centre."),
        new("Sarajevo", "BA", null, 275_000, 43.8563, 18.4131, ["bs", "hr", "sr"], [11, 16],
            [("Urban renewal", S), ("Public space", S)], "Capital of Bosnia and Herzegovina, rebuilt after the siege of the 1990s."),
        // Flanders - Latin America
        new("Brasschaat", "BE", "Antwerp", 38_000, 51.2912, 4.4918, ["nl"], [4, 13, 16],
            [("Citizen participation", S), ("Climate resilience", B), ("Culture and education", O)], "Flemish municipality in partnership with Tarija since 2004."),
        new("Tarija", "BO", "Tarija Department", 250_000, -21.5355, -64.7296, ["es"], [6, 13, 16],
            [("Citizen participation", O), ("Water management and sanitation", S), ("Climate resilience", B)], "Bolivian city with a structured neighbourhood participation system."),
        new("Edegem", "BE", "Antwerp", 31_000, 51.1557, 4.4452, ["nl"], [4, 11],
            [("Culture and education", O), ("Youth participation", S)], "Flemish municipality near Antwerp."),
        new("San Jerónimo", "PE", "Cusco", 47_000, -13.5444, -71.8833, ["es", "qu"], [1, 6, 11],
            [("Water management and sanitation", S), ("Youth participation", O)], "District of Cusco province in the Peruvian Andes."),
        new("Herent", "BE", "Flemish Brabant", 22_000, 50.9058, 4.6714, ["nl"], [13, 15],
            [("Agroforestry and reforestation", S), ("Local finance and participatory budgeting", O)], "Flemish municipality in partnership with Nimlaha'kok since 2001."),
        new("Nimlaha'kok", "GT", "Alta Verapaz", null, 15.4700, -90.3700, ["es"], [2, 13, 15],
            [("Agroforestry and reforestation", O), ("Food systems", B)], "Q'eqchi' communities in Alta Verapaz working on reforestation."),
        // AL-LAs network
        new("Mexico City", "MX", null, 9_209_000, 19.4326, -99.1332, ["es"], [11, 16, 17],
            [("Public space", B), ("Citizen security", S), ("Urban mobility", O)], "Lead of the Euro-Latin-American Alliance of Cooperation among Cities (AL-LAs)."),
        new("Montevideo", "UY", null, 1_320_000, -34.9011, -56.1645, ["es"], [10, 11, 17],
            [("Local finance and participatory budgeting", O), ("Citizen participation", O)], "Capital of Uruguay with decentralised municipal government."),
        new("Morón", "AR", "Buenos Aires", 320_000, -34.6534, -58.6198, ["es"], [11, 16],
            [("E-government", O), ("Citizen participation", B)], "Municipality in Greater Buenos Aires known for transparency policies."),
        new("Belo Horizonte", "BR", "Minas Gerais", 2_520_000, -19.9167, -43.9345, ["pt"], [2, 11, 16],
            [("Food systems", O), ("Local finance and participatory budgeting", O)], "Known for its food security policy and participatory budgeting."),
        new("Quito", "EC", "Pichincha", 2_800_000, -0.1807, -78.4678, ["es"], [11, 13],
            [("Climate adaptation", B), ("Culture and cultural heritage", O)], "Andean capital with a UNESCO-listed historic centre."),
        new("Lima", "PE", null, 9_750_000, -12.0464, -77.0428, ["es"], [6, 11],
            [("Water management and sanitation", S), ("Urban mobility", S)], "Capital of Peru, a desert megacity."),
        new("Rio de Janeiro", "BR", null, 6_750_000, -22.9068, -43.1729, ["pt"], [11, 13],
            [("Disaster preparedness", O), ("Smart city", O)], "City with an operations centre for urban emergencies."),
        // UCLG Brazil - Mozambique
        new("Porto Alegre", "BR", "Rio Grande do Sul", 1_330_000, -30.0346, -51.2177, ["pt"], [11, 16, 17],
            [("Local finance and participatory budgeting", O), ("Master planning and land management", O)], "Birthplace of participatory budgeting (1989)."),
        new("Nampula", "MZ", "Nampula Province", 743_000, -15.1165, 39.2666, ["pt"], [1, 11, 16],
            [("Master planning and land management", S), ("Local finance and participatory budgeting", S)], "Host of the project's seminars on master plans and land management."),
        new("Inhambane", "MZ", "Inhambane Province", 82_000, -23.8650, 35.3833, ["pt"], [11, 14, 16],
            [("Master planning and land management", S), ("Sustainable tourism", O)], "Coastal city whose mayor took part in the UCLG project."),
        new("ANAMM", "MZ", null, null, -25.9692, 32.5732, ["pt"], [16, 17],
            [("Local taxation", B)], "National Association of Mozambican Municipalities.", CityKind.AssociationOfMunicipalities),
        new("FNP", "BR", "Distrito Federal", null, -15.7939, -47.8828, ["pt"], [16, 17],
            [("Local finance and participatory budgeting", O)], "Frente Nacional de Prefeitos, the Brazilian national front of mayors.", CityKind.AssociationOfMunicipalities),
        // Durban
        new("eThekwini (Durban)", "ZA", "KwaZulu-Natal", 3_900_000, -29.8587, 31.0218, ["en", "zu"], [4, 11, 17],
            [("Jobs and skills in the local economy", O), ("Climate adaptation", B)], "Home of the Municipal Institute of Learning (MILE): master classes and learning exchanges across Africa."),
    ];

    private sealed record ProgrammeSeed(
        string ShortName, string Name, string Funder, DateOnly Starts, DateOnly? Ends, Modality[] Modalities,
        EligibilityRule[] Eligibility, string Description, string? Website = null);

    private static EligibilityRule In(params Region[] regions) => new() { Kind = EligibilityRuleKind.AtLeastOneMemberIn, Regions = [.. regions] };

    private static EligibilityRule Outside(params Region[] regions) => new() { Kind = EligibilityRuleKind.AtLeastOneMemberOutside, Regions = [.. regions] };

    private static EligibilityRule All(params Region[] regions) => new() { Kind = EligibilityRuleKind.AllMembersIn, Regions = [.. regions] };

    private static readonly ProgrammeSeed[] ProgrammeSeeds =
    [
        new("WC", "World Cities", "European Commission, DG REGIO", new(2015, 1, 1), new(2016, 12, 31), [Modality.Pairing],
            [In(Region.Europe), Outside(Region.Europe)], "EU-Canada and EU-Japan urban policy exchange facilitated by ICLEI: eight city pairings."),
        new("IUC", "International Urban Cooperation", "European Commission, DG REGIO and FPI", new(2016, 1, 1), new(2020, 12, 31), [Modality.Pairing],
            [In(Region.Europe), Outside(Region.Europe)], "EU cities paired with cities in the Americas and Asia, each pair writing a Local Action Plan."),
        new("IURC", "International Urban and Regional Cooperation", "European Commission, DG REGIO and FPI", new(2021, 1, 1), null,
            [Modality.Pairing, Modality.ClusterOrNetwork], [In(Region.Europe), Outside(Region.Europe)],
            "Cities and regions in thematic clusters and one-to-one pairings, including region-to-region cooperation.", "https://iurc.eu"),
        new("URBACT IV", "URBACT IV", "European Regional Development Fund", new(2021, 1, 1), new(2027, 12, 31), [Modality.ClusterOrNetwork],
            [All(Region.Europe)], "Exchange and learning among European cities in Action Planning Networks; each city writes an Integrated Action Plan.", "https://urbact.eu"),
        new("URB-AL III", "URB-AL III", "European Commission, EuropeAid", new(2008, 1, 1), new(2013, 12, 31), [Modality.ClusterOrNetwork],
            [All(Region.Europe, Region.LatinAmericaAndCaribbean), In(Region.LatinAmericaAndCaribbean)], "EU-Latin America cooperation on social cohesion: 74 territories, 500+ municipal administrations."),
        new("AL-LAs", "Euro-Latin-American Alliance of Cooperation among Cities", "European Commission", new(2013, 1, 1), null, [Modality.ClusterOrNetwork],
            [All(Region.Europe, Region.LatinAmericaAndCaribbean)], "Network of Latin American cities on the internationalisation of local governments."),
        new("UCLG BR-MZ", "UCLG Brazil-Mozambique South-South cooperation", "UCLG with European support", new(2013, 1, 1), new(2015, 12, 31),
            [Modality.ClusterOrNetwork, Modality.Triangular], [All(Region.LatinAmericaAndCaribbean, Region.Africa)],
            "Six Brazilian and eight Mozambican cities with ANAMM, FNP, ASF and the University of Lleida: master plans, land management, participatory budgeting."),
        new("VVSG C2C", "Flemish city-to-city partnership renewal project", "Flemish Government", new(2019, 1, 1), new(2022, 12, 31), [Modality.Pairing],
            [In(Region.Europe), Outside(Region.Europe)], "Renewal project on equitable partnerships, guided by Cimic and Contutti with VVSG as observer."),
    ];

    private sealed record PartnershipSeed(
        string Name, Modality Modality, (string City, MemberRole Role)[] Members, (string Programme, DateOnly? From, DateOnly? To)[] Programmes,
        string[] Themes, int[] Sdgs, DateOnly StartedOn, Action<Partnership> Lifecycle, string Description = "", string ExitStrategy = "");

    private static DateOnly D(int y, int m = 1, int d = 1) => new(y, m, d);

    private static readonly PartnershipSeed[] PartnershipSeeds =
    [
        .. WorldCities("Hannover", "Ottawa", ["Climate resilience", "Renewable energy"]),
        .. WorldCities("Almada", "Saanich", ["Climate adaptation", "Green infrastructure"]),
        .. WorldCities("Vitoria-Gasteiz", "Edmonton", ["Green infrastructure", "Urban mobility"]),
        .. WorldCities("Tallinn", "Halifax", ["Digital transition", "Climate resilience"]),
        .. WorldCities("Leipzig", "Kumamoto", ["Ageing and demographic change", "Urban renewal"]),
        .. WorldCities("Växjö", "Shimokawa", ["Renewable energy", "Citizen participation"]),
        .. WorldCities("Riga", "Kitakyushu", ["Energy transition", "Green deal and ecological transition"]),
        .. WorldCities("Burgas", "Toyama", ["Urban mobility", "Smart city"]),
        new("Surat - Rotterdam", Modality.Pairing, [("Surat", MemberRole.Partner), ("Rotterdam", MemberRole.Mentor)], [("IUC", D(2017), D(2020, 12, 31))],
            ["Water management and sanitation", "Green infrastructure", "Climate resilience"], [6, 11, 13], D(2017),
            p => { p.Agree(D(2017, 6)); p.Activate(D(2017, 9)); p.Complete(D(2020, 12, 31)); },
            "Rotterdam supports Surat to implement its 'water plaza' concept against flooding and water scarcity, turning a former dumpsite into public green space."),
        new("Umeå - Kamakura", Modality.Pairing, [("Umeå", MemberRole.Partner), ("Kamakura", MemberRole.Partner)], [("IUC", D(2017), D(2020, 12, 31))],
            ["Social innovation", "Citizen participation"], [11, 17], D(2017),
            p => { p.Agree(D(2017, 5)); p.Activate(D(2017, 10)); p.Complete(D(2020, 12, 31)); },
            "Umeå adapted Kamakura's 'Kamacon' brainstorming as 'Umecons' to break down silos."),
        new("Nanjing - Barcelona", Modality.Pairing, [("Nanjing", MemberRole.Partner), ("Barcelona", MemberRole.Partner)], [("IUC", D(2020), D(2020, 12, 31))],
            ["Protective equipment and crisis response"], [3, 17], D(2020, 3),
            p => { p.Agree(D(2020, 3)); p.Activate(D(2020, 3)); p.Complete(D(2020, 12, 31)); },
            "Nanjing donated personal protective equipment to Barcelona early in the 2020 pandemic."),
        new("Barcelona - Medellín", Modality.Pairing, [("Barcelona", MemberRole.Partner), ("Medellín", MemberRole.Partner)], [],
            ["Libraries", "Public space", "Master planning and land management", "Vulnerable populations", "Culture and education"], [4, 10, 11], D(2005),
            p =>
            {
                p.Agree(D(2013, 4, 15), new Agreement { Kind = AgreementKind.Protocol, SignedOn = D(2013, 4, 15), ValidUntil = D(2017, 4, 14), Note = "Four-year cooperation protocol." });
                p.Activate(D(2013, 5));
            },
            "About ten years of cooperation by 2015; Barcelona adopted Medellín's participatory library design."),
        new("Barcelona - Medellín - Havana", Modality.Triangular,
            [("Barcelona", MemberRole.Partner), ("Medellín", MemberRole.Lead), ("Havana", MemberRole.Partner)], [],
            ["Urban renewal", "Culture and cultural heritage"], [11], D(2014), p => { p.Agree(D(2014, 3)); p.Activate(D(2014, 6)); },
            "Triangular cooperation bringing Havana into the Barcelona-Medellín partnership."),
        new("Barcelona - Sarajevo", Modality.Pairing, [("Barcelona", MemberRole.Mentor), ("Sarajevo", MemberRole.Partner)], [],
            ["Urban renewal", "Public space"], [11, 16], D(1995), p => { p.Agree(D(1995, 6)); p.Activate(D(1995, 9)); },
            "Support for the reconstruction of Sarajevo since the mid-1990s."),
        new("Brasschaat - Tarija", Modality.Pairing, [("Brasschaat", MemberRole.Partner), ("Tarija", MemberRole.Partner)], [("VVSG C2C", D(2019), D(2022, 12, 31))],
            ["Citizen participation", "Climate resilience"], [13, 16], D(2004),
            p =>
            {
                p.Agree(D(2004, 6), new Agreement { Kind = AgreementKind.CollaborationAgreement, SignedOn = D(2022, 11, 20), Note = "Sets out the expectations and commitments of both partners." });
                p.Activate(D(2004, 9));
            },
            "Partners since 2004; Tarija joined VVSG's Sustainable Municipality Week in 2022.", "The collaboration agreement names what each partner keeps doing without programme funding."),
        new("Edegem - San Jerónimo", Modality.Pairing, [("Edegem", MemberRole.Partner), ("San Jerónimo", MemberRole.Partner)], [("VVSG C2C", D(2019), D(2020, 6, 30))],
            ["Youth participation", "Water management and sanitation"], [6, 11], D(2004),
            p => { p.Agree(D(2004, 6)); p.Activate(D(2004, 9)); p.Discontinue("The partners discontinued their activities in the course of the renewal project; the symbolic sister-city bond remains.", D(2020, 6, 30)); }),
        new("Herent - Nimlaha'kok", Modality.Pairing, [("Herent", MemberRole.Partner), ("Nimlaha'kok", MemberRole.Partner)], [("VVSG C2C", D(2019), D(2022, 12, 31))],
            ["Agroforestry and reforestation"], [13, 15], D(2001), p => { p.Agree(D(2001, 6)); p.Activate(D(2001, 9)); },
            "Partners since 2001, working on reforestation chosen together with the communities."),
        new("AL-LAs network", Modality.ClusterOrNetwork,
            [("Mexico City", MemberRole.Lead), ("Montevideo", MemberRole.Partner), ("Morón", MemberRole.Partner), ("Belo Horizonte", MemberRole.Partner),
             ("Quito", MemberRole.Partner), ("Medellín", MemberRole.Partner), ("Lima", MemberRole.Partner), ("Rio de Janeiro", MemberRole.Partner)],
            [("AL-LAs", D(2013), null)], ["Public space", "Citizen participation"], [11, 17], D(2013), p => { p.Agree(D(2013, 3)); p.Activate(D(2013, 6)); },
            "Euro-Latin-American Alliance of Cooperation among Cities."),
        new("UCLG Brazil - Mozambique", Modality.ClusterOrNetwork,
            [("Porto Alegre", MemberRole.Mentor), ("Nampula", MemberRole.Partner), ("Inhambane", MemberRole.Partner), ("ANAMM", MemberRole.Lead), ("FNP", MemberRole.Partner)],
            [("UCLG BR-MZ", D(2013), D(2015, 12, 31))], ["Master planning and land management", "Local finance and participatory budgeting"], [11, 16, 17], D(2013),
            p => { p.Agree(D(2013, 1)); p.Activate(D(2013, 3)); p.Complete(D(2015, 12, 31)); },
            "South-South cooperation on master plans, land management and participatory budgeting, following Porto Alegre's example."),
    ];

    private static PartnershipSeed[] WorldCities(string eu, string other, string[] themes) =>
    [
        new($"{eu} - {other}", Modality.Pairing, [(eu, MemberRole.Partner), (other, MemberRole.Partner)], [("WC", D(2015), D(2016, 12, 31))],
            themes, [11, 13], D(2015),
            p => { p.Agree(D(2015, 3)); p.Activate(D(2015, 4)); p.Complete(D(2016, 12, 31)); },
            "World Cities urban policy exchange, facilitated by ICLEI."),
    ];

    private sealed record ExchangeSeed(
        string Partnership, ExchangeKind Kind, string Title, DateOnly Starts, DateOnly Ends, string? Host,
        (ActorType Actor, ParticipantRole Role, int Count)[] Participants, string[] Interpretation, string Outcomes, string FollowUps = "");

    private static readonly ExchangeSeed[] ExchangeSeeds =
    [
        new("Växjö - Shimokawa", ExchangeKind.StudyVisit, "Växjö delegation visits Shimokawa", D(2016, 2, 8), D(2016, 2, 10), "Shimokawa",
            [(ActorType.LocalOrNationalAuthority, ParticipantRole.Technical, 5), (ActorType.LocalOrNationalAuthority, ParticipantRole.Political, 1)], ["ja", "sv"],
            "The delegation was impressed by Shimokawa's citizen engagement and sat down with its counterparts to learn more."),
        new("Surat - Rotterdam", ExchangeKind.Workshop, "Water plaza design workshop", D(2018, 11, 5), D(2018, 11, 7), "Surat",
            [(ActorType.LocalOrNationalAuthority, ParticipantRole.Technical, 12), (ActorType.AcademicInstitution, ParticipantRole.Technical, 3)], [],
            "A first design for a water plaza on a former dumpsite.", "Feasibility study for the pilot site."),
        new("Umeå - Kamakura", ExchangeKind.StudyVisit, "Kamacon study visit", D(2018, 5, 14), D(2018, 5, 16), "Kamakura",
            [(ActorType.LocalOrNationalAuthority, ParticipantRole.Technical, 4), (ActorType.NgoOrCivilSociety, ParticipantRole.Technical, 2)], ["ja", "sv"],
            "Umeå adapted the Kamacon format as 'Umecons'."),
        new("Herent - Nimlaha'kok", ExchangeKind.FieldVisit, "SDG route through the communities", D(2019, 10, 14), D(2019, 10, 18), "Nimlaha'kok",
            [(ActorType.LocalOrNationalAuthority, ParticipantRole.Political, 2), (ActorType.NgoOrCivilSociety, ParticipantRole.Technical, 6)], ["es", "nl"],
            "Presented the project, exchanged ideas on the 2030 Agenda and found which SDG each community sees as a priority."),
        new("Brasschaat - Tarija", ExchangeKind.DigitalDialogue, "First digital dialogue: a shared language of participation", D(2021, 6, 8), D(2021, 6, 8), null,
            [(ActorType.LocalOrNationalAuthority, ParticipantRole.Technical, 8), (ActorType.CityNetworkOrAssociation, ParticipantRole.Technical, 2)], ["es", "nl"],
            "A shared understanding of what participation means to the partners.", "Second digital dialogue on practical implementation."),
        new("Brasschaat - Tarija", ExchangeKind.DigitalDialogue, "Second digital dialogue: towards practical implementation", D(2021, 10, 26), D(2021, 10, 26), null,
            [(ActorType.LocalOrNationalAuthority, ParticipantRole.Technical, 8)], ["es", "nl"],
            "Each partner chose a participatory project to implement; Dutch videos with Spanish voice-overs."),
        new("Brasschaat - Tarija", ExchangeKind.Workshop, "Final two-day gathering in Flanders", D(2022, 11, 21), D(2022, 11, 22), "Brasschaat",
            [(ActorType.LocalOrNationalAuthority, ParticipantRole.Political, 3), (ActorType.LocalOrNationalAuthority, ParticipantRole.Technical, 6), (ActorType.CityNetworkOrAssociation, ParticipantRole.Technical, 2)], ["es", "nl"],
            "Shared interests of the renewed partnership; VVSG clarified its supporting role.", "A new collaboration agreement."),
        new("UCLG Brazil - Mozambique", ExchangeKind.Conference, "Seminar on master plans and land management in Nampula", D(2014, 9, 10), D(2014, 9, 12), "Nampula",
            [(ActorType.LocalOrNationalAuthority, ParticipantRole.Political, 4), (ActorType.LocalOrNationalAuthority, ParticipantRole.Technical, 20), (ActorType.CityNetworkOrAssociation, ParticipantRole.Technical, 4), (ActorType.AcademicInstitution, ParticipantRole.Technical, 2)], [],
            "Municipal teams compared master-planning practice with Porto Alegre's participatory budgeting."),
    ];

    private sealed record CallSeed(
        string City, string Title, string[] Themes, int[] Sdgs, CallModality Modality, string[] Languages, int ExpiresInMonths, bool IsPublic,
        string Description);

    /// <summary>
    /// Live "seeking partners" calls, dated from the day the demo is seeded (a call is a question for now), so the
    /// calls list and the boost in Matches have something to show.
    /// </summary>
    private static readonly CallSeed[] CallSeeds =
    [
        new("Tarija", "Partner sought for watershed management and climate adaptation", ["Water management and sanitation", "Climate adaptation"], [6, 13],
            CallModality.Hybrid, ["es", "en"], 4, true,
            "Tarija wants to learn how a city protects its water sources and plans for droughts and floods with its neighbourhoods. "
            + "We bring a structured neighbourhood participation system and would welcome a technical exchange and a study visit."),
        new("Nampula", "Master planning and land management: looking for a mentor city", ["Master planning and land management", "Local finance and participatory budgeting"], [11],
            CallModality.InPerson, ["pt"], 6, false,
            "Nampula is revising its master plan and wants a partner that has tied land management to participatory budgeting."),
        new("Riga", "District heating and the energy transition", ["Energy transition", "Renewable energy"], [7],
            CallModality.Online, ["lv", "en"], 3, true,
            "Riga seeks digital dialogues with cities that moved district heating to renewable sources."),
    ];

    public static async Task SeedAsync(CityPairsDbContext db, CancellationToken cancellationToken = default)
    {
        var themes = await db.Themes.ToDictionaryAsync(t => t.Name, cancellationToken);

        // Only the demo's own records are looked up: a registry filled by 'generate' holds 100,000 cities,
        // and the same name in several countries.
        var seedCityNames = CitySeeds.Select(s => s.Name).ToList();
        var cities = await db.Cities.Where(c => seedCityNames.Contains(c.Name))
            .ToDictionaryAsync(c => (c.CountryCode, c.Name), cancellationToken);
        foreach (var seed in CitySeeds.Where(s => !cities.ContainsKey((s.Country, s.Name))))
        {
            var city = new City
            {
                Name = seed.Name,
                CountryCode = seed.Country,
                Region = Countries.RegionOf(seed.Country) ?? throw new InvalidOperationException($"Unknown country {seed.Country}"),
                AdminArea = seed.AdminArea,
                Kind = seed.Kind,
                Population = seed.Population,
                Latitude = seed.Lat,
                Longitude = seed.Lon,
                Languages = [.. seed.Languages],
                PrioritySdgs = [.. seed.Sdgs],
                Profile = seed.Profile,
                Themes = [.. seed.Themes.Select(t => new CityTheme { ThemeId = themes[t.Theme].Id, Interest = t.Interest })],
            };
            db.Cities.Add(city);
            cities[(city.CountryCode, city.Name)] = city;
        }

        var programmes = await db.Programmes.ToDictionaryAsync(p => p.ShortName, cancellationToken);
        foreach (var seed in ProgrammeSeeds.Where(s => !programmes.ContainsKey(s.ShortName)))
        {
            var programme = new Programme
            {
                ShortName = seed.ShortName,
                Name = seed.Name,
                Funder = seed.Funder,
                StartsOn = seed.Starts,
                EndsOn = seed.Ends,
                Modalities = [.. seed.Modalities],
                Eligibility = [.. seed.Eligibility],
                Description = seed.Description,
                Website = seed.Website,
            };
            db.Programmes.Add(programme);
            programmes[programme.ShortName] = programme;
        }

        await db.SaveChangesAsync(cancellationToken);
        var cityByName = CitySeeds.ToDictionary(s => s.Name, s => cities[(s.Country, s.Name)]);

        var seedPartnershipNames = PartnershipSeeds.Select(s => s.Name).ToList();
        var partnerships = (await db.Partnerships.Where(p => seedPartnershipNames.Contains(p.Name)).ToListAsync(cancellationToken))
            .GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.OrderBy(p => p.Id).First());
        foreach (var seed in PartnershipSeeds.Where(s => !partnerships.ContainsKey(s.Name)))
        {
            var partnership = new Partnership
            {
                Name = seed.Name,
                Modality = seed.Modality,
                StartedOn = seed.StartedOn,
                Description = seed.Description,
                ExitStrategy = seed.ExitStrategy,
                Sdgs = [.. seed.Sdgs],
                Members = [.. seed.Members.Select(m => new PartnershipMember { CityId = cityByName[m.City].Id, Role = m.Role })],
                Programmes = [.. seed.Programmes.Select(p => new PartnershipProgramme { ProgrammeId = programmes[p.Programme].Id, From = p.From, To = p.To })],
                Themes = [.. seed.Themes.Select(t => themes[t])],
            };
            partnership.Propose(seed.StartedOn);
            seed.Lifecycle(partnership);
            db.Partnerships.Add(partnership);
            partnerships[partnership.Name] = partnership;
        }

        await db.SaveChangesAsync(cancellationToken);

        // The programmes work with the cities of their agreed partnerships: what an administrator would assign
        // (an officer's reach over cities comes only from here; see AccessRules).
        var demoPartnershipIds = partnerships.Values.Select(p => p.Id).ToList();
        var claims = await db.Partnerships
            .Where(p => demoPartnershipIds.Contains(p.Id) && p.StatusHistory.Any(h => h.To == PartnershipStatus.Agreed))
            .SelectMany(p => p.Programmes.SelectMany(pp => p.Members.Select(m => new { pp.ProgrammeId, m.CityId })))
            .Distinct()
            .Where(c => !db.ProgrammeCities.Any(x => x.ProgrammeId == c.ProgrammeId && x.CityId == c.CityId))
            .ToListAsync(cancellationToken);
        db.ProgrammeCities.AddRange(claims.Select(c => new ProgrammeCity { ProgrammeId = c.ProgrammeId, CityId = c.CityId }));
        await db.SaveChangesAsync(cancellationToken);

        var exchanges = (await db.Exchanges.Where(e => demoPartnershipIds.Contains(e.PartnershipId))
                .Select(e => new { e.PartnershipId, e.Title }).ToListAsync(cancellationToken))
            .Select(e => (e.PartnershipId, e.Title)).ToHashSet();
        foreach (var seed in ExchangeSeeds)
        {
            var partnership = partnerships[seed.Partnership];
            if (exchanges.Contains((partnership.Id, seed.Title)))
            {
                continue;
            }

            db.Exchanges.Add(new Exchange
            {
                PartnershipId = partnership.Id,
                Kind = seed.Kind,
                Title = seed.Title,
                StartsOn = seed.Starts,
                EndsOn = seed.Ends,
                HostCityId = seed.Host is null ? null : cityByName[seed.Host].Id,
                IsOnline = seed.Host is null,
                Participants = [.. seed.Participants.Select(p => new ParticipantCount { ActorType = p.Actor, Role = p.Role, Count = p.Count })],
                InterpretationLanguages = [.. seed.Interpretation],
                Outcomes = seed.Outcomes,
                FollowUps = seed.FollowUps,
                Sdgs = [.. partnership.Sdgs],
            });
        }

        await db.SaveChangesAsync(cancellationToken);
        await SeedCallsAsync(db, themes, cityByName, cancellationToken);
    }

    private static async Task SeedCallsAsync(
        CityPairsDbContext db, Dictionary<string, Domain.Reference.Theme> themes, Dictionary<string, City> cityByName, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(DateTime.Today);
        var cityIds = CallSeeds.Select(c => cityByName[c.City].Id).ToList();
        var existing = (await db.PartnerCalls.Where(c => cityIds.Contains(c.CityId)).Select(c => new { c.CityId, c.Title }).ToListAsync(cancellationToken))
            .Select(c => (c.CityId, c.Title)).ToHashSet();
        foreach (var seed in CallSeeds.Where(s => !existing.Contains((cityByName[s.City].Id, s.Title))))
        {
            db.PartnerCalls.Add(new PartnerCall
            {
                CityId = cityByName[seed.City].Id,
                Title = seed.Title,
                SoughtThemeIds = [.. seed.Themes.Select(t => themes[t].Id)],
                SoughtSdgs = [.. seed.Sdgs],
                Modality = seed.Modality,
                StartsOn = today.AddMonths(2),
                EndsOn = today.AddMonths(14),
                WorkingLanguages = [.. seed.Languages],
                Description = seed.Description,
                ExpiresOn = today.AddMonths(seed.ExpiresInMonths),
                IsPublic = seed.IsPublic,
            });
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
