using System.Diagnostics;
using CityPairs.TestSupport;

namespace CityPairs.IntegrationTests.Notifications;

/// <summary>
/// Outside Development the app will not start without a mail server and a public address. The real app is started as
/// a process, as an operator would, and must exit with the reason.
/// </summary>
public sealed class DeliverySettingsTests(PostgresDatabase database) : DatabaseTest(database)
{
    // Everything else production insists on (the key ring's certificate) is given, so only mail can be missing.
    private Dictionary<string, string> Production() => new()
    {
        ["DataProtection__Certificate__Path"] = ProductionSettings.Values["DataProtection:Certificate:Path"],
        ["DataProtection__Certificate__Password"] = ProductionSettings.CertificatePassword,
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["ConnectionStrings__CityPairs"] = Database.ConnectionString,
        ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
        ["Mail__Host"] = "smtp.example.org",
        ["Mail__FromAddress"] = "citypairs@example.org",
        ["App__PublicBaseUrl"] = "https://citypairs.example.org",
    };

    private static async Task<(int ExitCode, string Errors)> RunAsync(Dictionary<string, string> environment)
    {
        // The app's own build output sits beside the tests (project reference): run it as `dotnet CityPairs.Web.dll`.
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CityPairs.Web.dll"));
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"The app started (or hung) instead of refusing: {await output}");
        }

        return (process.ExitCode, await errors + await output);
    }

    [Fact]
    public async Task Production_without_mail_settings_refuses_to_start_and_says_which()
    {
        var environment = Production();
        environment["Mail__Host"] = "";
        environment["Mail__FromAddress"] = "";

        var (exitCode, errors) = await RunAsync(environment);

        Assert.Equal(1, exitCode);
        Assert.Contains("CityPairs cannot start", errors, StringComparison.Ordinal);
        Assert.Contains("Mail__Host", errors, StringComparison.Ordinal);
        Assert.Contains("Mail__FromAddress", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_without_a_public_base_url_refuses_to_start()
    {
        var environment = Production();
        environment["App__PublicBaseUrl"] = "";

        var (exitCode, errors) = await RunAsync(environment);

        Assert.Equal(1, exitCode);
        Assert.Contains("App__PublicBaseUrl", errors, StringComparison.Ordinal);
    }
}
