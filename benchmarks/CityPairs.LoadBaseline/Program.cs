using System.Text.Json;
using System.Text.Json.Serialization;
using CityPairs.Domain.Common;
using Npgsql;

// The "bare Npgsql endpoint" of docs/PERFORMANCE.md: the same rows and JSON as the app's /api/v1 reads, from
// hand-written SQL over one NpgsqlDataSource. It exists only to be measured beside the app (benchmarks/load/run.sh),
// so it has none of the app's layers: no EF Core, authentication, authorization, rate limiting or request logs.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
var connectionString = builder.Configuration.GetConnectionString("CityPairs")
    ?? throw new InvalidOperationException("Set ConnectionStrings__CityPairs.");
await using var dataSource = NpgsqlDataSource.Create(connectionString);
var app = builder.Build();

app.MapGet("/cities", async (int? page, int? pageSize, string? search) =>
{
    var (size, offset) = Paging(page, pageSize);
    // Same predicate as CityService.ListAsync: accent-free ILIKE on name or admin area, or the country code.
    // Added only when there is a search, as EF does: an "@search IS NULL OR ..." form would keep PostgreSQL's
    // generic plan from using the trigram indexes and make the baseline slower than the app. For the same reason
    // the code is compared as character(n), as EF's parameter is: text would cast the column and lose its index.
    var filter = string.IsNullOrWhiteSpace(search) ? "NOT c.is_archived" : """
        NOT c.is_archived AND (f_search_form(c.name) ILIKE f_search_form(@pattern)
            OR (c.admin_area IS NOT NULL AND f_search_form(c.admin_area) ILIKE f_search_form(@pattern))
            OR c.country_code = upper(@search)::bpchar)
        """;
    await using var connection = await dataSource.OpenConnectionAsync();
    await using var count = new NpgsqlCommand($"SELECT count(*)::int FROM cities c WHERE {filter}", connection);
    AddSearch(count, search);
    var total = (int)(await count.ExecuteScalarAsync())!;
    await using var rows = new NpgsqlCommand($"""
        SELECT c.id, c.name, c.country_code, c.region, c.admin_area, c.population, c.priority_sdgs, c.is_archived,
               (SELECT count(*)::int FROM partnerships p
                 WHERE EXISTS (SELECT 1 FROM partnership_members m WHERE m.partnership_id = p.id AND m.city_id = c.id))
          FROM cities c WHERE {filter}
         ORDER BY c.name, c.id LIMIT @size OFFSET @offset
        """, connection);
    AddSearch(rows, search);
    rows.Parameters.AddWithValue("size", size);
    rows.Parameters.AddWithValue("offset", offset);
    var items = new List<CityRow>(size);
    await using (var reader = await rows.ExecuteReaderAsync())
    {
        while (await reader.ReadAsync())
        {
            var code = reader.GetString(2);
            items.Add(new CityRow(
                reader.GetInt32(0), reader.GetString(1), code, Countries.NameOf(code), Enum.Parse<Region>(reader.GetString(3)),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetInt32(5),
                reader.GetFieldValue<int[]>(6), reader.GetInt32(8), reader.GetBoolean(7)));
        }
    }

    return Results.Ok(new PageOf<CityRow>(items, offset / size + 1, size, total, (total + size - 1) / size));
});

app.MapGet("/partnerships", async (int? page, int? pageSize, string? status) =>
{
    var (size, offset) = Paging(page, pageSize);
    var filter = status is null ? "NOT p.is_archived" : "NOT p.is_archived AND p.status = @status";
    await using var connection = await dataSource.OpenConnectionAsync();
    await using var count = new NpgsqlCommand($"SELECT count(*)::int FROM partnerships p WHERE {filter}", connection);
    count.Parameters.Add(new NpgsqlParameter<string?>("status", status));
    var total = (int)(await count.ExecuteScalarAsync())!;
    await using var rows = new NpgsqlCommand($"""
        SELECT p.id, p.name, p.modality, p.status, p.started_on,
               ARRAY(SELECT c.name FROM partnership_members m JOIN cities c ON c.id = m.city_id
                      WHERE m.partnership_id = p.id ORDER BY c.name),
               ARRAY(SELECT pr.short_name FROM partnership_programmes pp JOIN programmes pr ON pr.id = pp.programme_id
                      WHERE pp.partnership_id = p.id),
               (SELECT count(*)::int FROM exchanges e WHERE e.partnership_id = p.id),
               (SELECT max(e.starts_on) FROM exchanges e WHERE e.partnership_id = p.id),
               p.is_archived
          FROM partnerships p WHERE {filter}
         ORDER BY p.name, p.id LIMIT @size OFFSET @offset
        """, connection);
    rows.Parameters.Add(new NpgsqlParameter<string?>("status", status));
    rows.Parameters.AddWithValue("size", size);
    rows.Parameters.AddWithValue("offset", offset);
    var items = new List<PartnershipRow>(size);
    await using (var reader = await rows.ExecuteReaderAsync())
    {
        while (await reader.ReadAsync())
        {
            items.Add(new PartnershipRow(
                reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateOnly>(4),
                reader.GetFieldValue<string[]>(5), reader.GetFieldValue<string[]>(6), reader.GetInt32(7),
                reader.IsDBNull(8) ? null : reader.GetFieldValue<DateOnly>(8), reader.GetBoolean(9)));
        }
    }

    return Results.Ok(new PageOf<PartnershipRow>(items, offset / size + 1, size, total, (total + size - 1) / size));
});

// The baseline for the matches endpoint: the same candidate cities' rows, by id, in the order given.
app.MapGet("/cities/by-id", async (string ids) =>
{
    var wanted = ids.Split(',').Select(int.Parse).ToArray();
    await using var command = dataSource.CreateCommand(
        "SELECT c.id, c.name, c.country_code, c.region FROM unnest(@ids) WITH ORDINALITY AS w(id, n) JOIN cities c ON c.id = w.id ORDER BY w.n");
    command.Parameters.AddWithValue("ids", wanted);
    var items = new List<CandidateRow>(wanted.Length);
    await using var reader = await command.ExecuteReaderAsync();
    while (await reader.ReadAsync())
    {
        items.Add(new CandidateRow(reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
    }

    return Results.Ok(items);
});

await app.RunAsync();

static (int Size, int Offset) Paging(int? page, int? pageSize)
{
    var size = Math.Clamp(pageSize ?? 25, 1, 100);
    return (size, (Math.Max(page ?? 1, 1) - 1) * size);
}

static void AddSearch(NpgsqlCommand command, string? search)
{
    var trimmed = string.IsNullOrWhiteSpace(search) ? null : search.Trim();
    command.Parameters.Add(new NpgsqlParameter<string?>("search", trimmed));
    // LikePattern.Containing: %, _ and \ typed by the user match themselves.
    command.Parameters.Add(new NpgsqlParameter<string?>("pattern",
        trimmed is null ? null : "%" + trimmed.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal) + "%"));
}

internal sealed record PageOf<T>(IReadOnlyList<T> Items, int Page, int PageSize, int TotalCount, int TotalPages);

internal sealed record CityRow(
    int Id, string Name, string CountryCode, string CountryName, Region Region, string? AdminArea, int? Population,
    IReadOnlyList<int> PrioritySdgs, int PartnershipCount, bool IsArchived);

internal sealed record PartnershipRow(
    int Id, string Name, string Modality, string Status, DateOnly? StartedOn, IReadOnlyList<string> Members,
    IReadOnlyList<string> Programmes, int ExchangeCount, DateOnly? LastExchangeOn, bool IsArchived);

internal sealed record CandidateRow(int CandidateId, string CandidateName, string CountryCode, string Region);
