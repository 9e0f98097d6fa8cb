using CityPairs.Web;
using CityPairs.Web.Data;
using CityPairs.Web.Data.ScaleData;
using CityPairs.Web.Data.Seeding;
using CityPairs.Web.Hosting;

// Composition only: the Add*/Use* steps live in Hosting/ServiceRegistration.cs.
LocalPostgresCluster? localCluster = null;
try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddCityPairsLogging();
    (var connectionString, localCluster) = await DatabaseSetup.ResolveConnectionStringAsync(builder);
    builder.AddCityPairsServices(connectionString);

    var app = builder.Build();

    if (args.Contains("migrate"))
    {
        await DatabaseSetup.MigrateAsync(app.Services);
        await Console.Out.WriteLineAsync("The database is up to date.");
        return 0;
    }

    if (args.Contains("generate"))
    {
        await DatabaseSetup.MigrateAsync(app.Services);
        await ScaleDataCommand.RunAsync(connectionString, args);
        return 0;
    }

    if (args.Contains("load-gazetteer"))
    {
        await DatabaseSetup.MigrateAsync(app.Services);
        return await CityPairs.Web.Features.Gazetteer.GazetteerCommand.RunAsync(app.Services, args);
    }

    if (args is ["api-token", var tokenOwner, var tokenName, .. var rest])
    {
        await DatabaseSetup.MigrateAsync(app.Services);
        return await CityPairs.Web.Features.Accounts.ApiTokens.ApiTokenCommand.RunAsync(app.Services, tokenOwner, tokenName, rest.FirstOrDefault());
    }

    if (args is ["create-admin", var email, ..])
    {
        // The first administrator of a new installation; they set up their authenticator at first sign-in.
        await DatabaseSetup.MigrateAsync(app.Services);
        await Console.Out.WriteLineAsync(await DemoAccounts.CreateAdministratorAsync(app.Services, email, Environment.GetEnvironmentVariable("CITYPAIRS_ADMIN_PASSWORD")));
        return 0;
    }

    if (app.Environment.IsDevelopment())
    {
        await DatabaseSetup.MigrateAsync(app.Services);
        await DatabaseSetup.SeedDemoDataAsync(app.Services);
    }

    app.UseCityPairsPipeline();
    await app.RunAsync();
    return 0;
}
catch (StartupException ex)
{
    await Console.Error.WriteLineAsync($"CityPairs cannot start: {ex.Message}");
    return 1;
}
finally
{
    // Stops the development cluster only if this process started it: a command run beside the app
    // (migrate, api-token, generate) attached to the app's server and must leave it running.
    if (localCluster is not null)
    {
        await localCluster.StopAsync();
    }
}

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
