using System.Security.Cryptography;
using CityPairs.TestSupport;
using CityPairs.Web.Data;
using CityPairs.Web.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace CityPairs.IntegrationTests.Hosting;

/// <summary>
/// Outside Development the key ring in PostgreSQL is encrypted with a configured certificate: reading the table is no
/// longer enough to forge a sign-in cookie. Another instance with the certificate reads it; one without cannot.
/// </summary>
public sealed class KeyRingProtectionTests(PostgresDatabase database) : DatabaseTest(database)
{
    private const string Purpose = "key ring test";

    private CityPairsApp Production(Dictionary<string, string>? overrides = null)
    {
        var settings = ProductionSettings.Values;
        foreach (var (key, value) in overrides ?? [])
        {
            settings[key] = value;
        }

        return new CityPairsApp(Database.ConnectionString, settings);
    }

    private static IDataProtector Protector(CityPairsApp app) => app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose);

    [Fact]
    public async Task Outside_development_every_stored_key_is_encrypted_and_another_instance_with_the_certificate_reads_it()
    {
        await using var first = Production();
        var protectedText = Protector(first).Protect("a sign-in cookie's content");

        await using (var db = Database.CreateDbContext())
        {
            var keys = await db.DataProtectionKeys.Select(k => k.Xml).ToListAsync();
            Assert.NotEmpty(keys);
            Assert.All(keys, xml =>
            {
                Assert.Contains("encryptedSecret", xml, StringComparison.Ordinal);
                Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
            });
        }

        await using var second = Production();
        Assert.Equal("a sign-in cookie's content", Protector(second).Unprotect(protectedText));
    }

    [Fact]
    public async Task An_instance_with_another_certificate_cannot_read_the_key_ring_until_the_old_one_is_configured_as_previous()
    {
        var original = ProductionSettings.Values;
        await using var first = Production();
        var protectedText = Protector(first).Protect("a sign-in cookie's content");
        var rotated = ProductionSettings.CreateCertificate("CN=CityPairs rotated key ring");

        await using (var stranger = Production(new() { ["DataProtection:Certificate:Path"] = rotated }))
        {
            Assert.ThrowsAny<CryptographicException>(() => Protector(stranger).Unprotect(protectedText));
        }

        await using var afterRotation = Production(new()
        {
            ["DataProtection:Certificate:Path"] = rotated,
            ["DataProtection:PreviousCertificates:0:Path"] = original["DataProtection:Certificate:Path"],
            ["DataProtection:PreviousCertificates:0:Password"] = ProductionSettings.CertificatePassword,
        });
        Assert.Equal("a sign-in cookie's content", Protector(afterRotation).Unprotect(protectedText));
    }

    [Fact]
    public void Outside_development_the_app_refuses_to_start_without_a_certificate()
    {
        var configuration = new ConfigurationBuilder().Build();
        var environment = new HostingEnvironment { EnvironmentName = Environments.Production };

        var refused = Assert.Throws<StartupException>(() => new ServiceCollection().AddCityPairsKeyRingProtection(configuration, environment));

        Assert.Contains("DataProtection:Certificate:Path", refused.Message, StringComparison.Ordinal);
        // The whole app: the entry point reports the reason and exits without building a host.
        using var app = new CityPairsApp(Database.ConnectionString, new Dictionary<string, string> { ["environment"] = "Production" });
        Assert.ThrowsAny<Exception>(() => app.Services);
    }

    [Fact]
    public void In_development_a_certificate_is_optional()
    {
        var configuration = new ConfigurationBuilder().Build();
        var environment = new HostingEnvironment { EnvironmentName = Environments.Development };

        new ServiceCollection().AddCityPairsKeyRingProtection(configuration, environment);
    }
}
