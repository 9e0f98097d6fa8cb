using System.Diagnostics;
using System.Globalization;
using System.Text;
using CityPairs.Domain.Cities;
using CityPairs.Domain.Common;
using CityPairs.Web.Data;
using CityPairs.Web.Features.Cities;
using CityPairs.Web.Features.Export;
using CityPairs.Web.Features.Gazetteer;
using CityPairs.Web.Features.Import;
using CityPairs.Web.Features.Accounts;
using CityPairs.Web.Features.Partnerships;
using CityPairs.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace CityPairs.Benchmarks;

/// <summary>
/// `dotnet run -c Release --project benchmarks/CityPairs.Benchmarks -- --import 10000 100000`: cities per second
/// through the import workflow (CSV parse, mapping, validation, the all-or-nothing check again at commit, COPY
/// of the cities and their audit entries) beside a bare Npgsql binary COPY of the same rows, in one run against
/// a throwaway cluster; then a GeoNames file of as many lines loaded into the gazetteer, and loaded again.
/// Wall-clock, a few runs each, the median reported: BenchmarkDotNet's many iterations would need a fresh
/// database for every one.
/// </summary>
public static class ImportThroughput
{
    private const int Runs = 3;

    public static async Task RunAsync(IReadOnlyList<int> sizes)
    {
        await using var cluster = await LocalPostgresCluster.StartThrowawayAsync();
        var connectionString = cluster.ConnectionString("postgres");
        var options = new DbContextOptionsBuilder<CityPairsDbContext>();
        DatabaseSetup.Configure(options, connectionString);
        var factory = new PooledDbContextFactory<CityPairsDbContext>(options.Options);
        IModel model;
        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.Database.MigrateAsync();
            model = db.Model;
        }

        // Only cities are measured; the partnership kind is there because the workflow takes both.
        var app = new FixedUser(new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity()));
        var importer = new ImportService(
            new CityImport(factory, new CityFormValidator(), TimeProvider.System),
            new PartnershipImport(factory, new PartnershipService(factory, new PartnershipFormValidator(), TimeProvider.System, app, new AccessRules(factory)), app));
        Console.WriteLine($"PostgreSQL {cluster.DataDirectory}; {Environment.ProcessorCount} cores; {Runs} runs each, median");
        foreach (var size in sizes)
        {
            var csv = Csv(size);
            var workflow = new List<double>();
            var baseline = new List<double>();
            for (var run = 0; run < Runs; run++)
            {
                await ResetAsync(connectionString);
                var clock = Stopwatch.StartNew();
                var preview = await importer.PreviewAsync(ImportKind.Cities, Table.ReadCsv(csv));
                var result = await importer.CommitAsync(preview, new HashSet<int>());
                workflow.Add(clock.Elapsed.TotalSeconds);
                if (!result.Committed || result.Imported != size)
                {
                    throw new InvalidOperationException(result.Message);
                }

                await ResetAsync(connectionString);
                clock.Restart();
                await BareCopyAsync(connectionString, model, size);
                baseline.Add(clock.Elapsed.TotalSeconds);
            }

            var w = Median(workflow);
            var b = Median(baseline);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"import {size,7:N0} cities: workflow {w,6:F2} s ({size / w,8:N0} cities/s) | bare COPY {b,6:F2} s ({size / b,8:N0} rows/s) | ratio {w / b:F1}x"));
        }

        var lines = sizes.Max();
        var file = GeoNamesFile(lines);
        var loader = new GazetteerLoader(factory);
        var first = Stopwatch.StartNew();
        var loaded = await loader.LoadAsync(new MemoryStream(file));
        var firstSeconds = first.Elapsed.TotalSeconds;
        var again = Stopwatch.StartNew();
        var reloaded = await loader.LoadAsync(new MemoryStream(file));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"gazetteer {lines:N0} lines ({file.Length / 1024.0 / 1024:F1} MiB): first load {firstSeconds:F2} s ({loaded.Inserted:N0} new), same file again {again.Elapsed.TotalSeconds:F2} s ({reloaded.Updated:N0} updated)"));
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static readonly string[] Languages = ["en", "es"];

    private static readonly int[] Sdgs = [11, 13];

    private static readonly string[] Countries = ["PT", "ES", "FR", "DE", "BR", "MX", "KE", "IN", "JP", "CA"];

    private static string Csv(int rows)
    {
        var csv = new StringBuilder("name,country,lat,lng,population,admin_area,languages,sdgs\n");
        for (var i = 0; i < rows; i++)
        {
            csv.Append(CultureInfo.InvariantCulture,
                $"Importville {i},{Countries[i % Countries.Length]},{i % 170 - 85}.{i % 1000:D3},{i % 350 - 175}.5,{1000 + i},Region {i % 40},\"en, es\",11;13\n");
        }

        return csv.ToString();
    }

    private static byte[] GeoNamesFile(int lines)
    {
        var text = new StringBuilder();
        for (var i = 1; i <= lines; i++)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"{i}\tPlace {i}\tPlace {i}\tAlt {i},Other {i}\t{i % 170 - 85}.25\t{i % 350 - 175}.5\tP\tPPL\t{Countries[i % Countries.Length]}\t\t{i % 30:D2}\t\t\t\t{1000 + i}\t\t100\tEurope/Lisbon\t2024-05-01\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static async Task ResetAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("TRUNCATE cities, audit_entries RESTART IDENTITY CASCADE", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// The baseline: the same rows, already typed, copied straight into cities with no checks or audit, by the
    /// same COPY writer the import uses.
    /// </summary>
    private static async Task BareCopyAsync(string connectionString, IModel model, int rows)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var now = DateTimeOffset.UtcNow;
        var cities = new List<City>(rows);
        for (var i = 0; i < rows; i++)
        {
            cities.Add(new City
            {
                Name = $"Importville {i}", CountryCode = Countries[i % Countries.Length], Region = Region.Europe, AdminArea = $"Region {i % 40}",
                Kind = CityKind.City, Population = 1000 + i, Latitude = i % 170 - 85 + i % 1000 / 1000.0, Longitude = i % 350 - 175 + 0.5,
                Languages = [.. Languages], PrioritySdgs = [.. Sdgs], CreatedAt = now, UpdatedAt = now,
            });
        }

        await new EntityCopyWriter<City>(model, withKey: false).WriteAsync(connection, cities);
        await transaction.CommitAsync();
    }
}
