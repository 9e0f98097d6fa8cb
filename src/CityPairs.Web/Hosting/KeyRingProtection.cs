using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CityPairs.Web.Data;
using Microsoft.AspNetCore.DataProtection;

namespace CityPairs.Web.Hosting;

/// <summary>
/// The data-protection key ring lives in PostgreSQL (shared by every instance). Unencrypted, anyone who can read that
/// table can forge a sign-in cookie; so outside Development each key is encrypted at rest with a certificate from
/// configuration, and the app refuses to start without one. Rotation: the new certificate goes in
/// <c>DataProtection:Certificate</c>, the old one in <c>DataProtection:PreviousCertificates</c> until the keys it
/// encrypted have expired (docs/DEPLOYMENT.md).
/// </summary>
public static class KeyRingProtection
{
    public const string Section = "DataProtection";

    public static void AddCityPairsKeyRingProtection(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var current = configuration.GetSection($"{Section}:Certificate");
        if (string.IsNullOrWhiteSpace(current["Path"]))
        {
            if (environment.IsDevelopment())
            {
                // The development key ring protects demo accounts on one machine; a certificate is optional there.
                return;
            }

            throw new StartupException(
                $"the data-protection key ring must be encrypted outside Development: set {Section}:Certificate:Path (a .pfx with its private key) " +
                $"and {Section}:Certificate:Password. See docs/DEPLOYMENT.md, \"Data-protection keys\".");
        }

        var certificate = Load(current, $"{Section}:Certificate");
        var previous = configuration.GetSection($"{Section}:PreviousCertificates").GetChildren()
            .Select((section, i) => Load(section, $"{Section}:PreviousCertificates:{i}")).ToList();
        services.AddDataProtection()
            .ProtectKeysWithCertificate(certificate)
            // Decrypting with the certificates themselves rather than looking them up in a machine store, which a
            // container does not have; the previous ones read keys written before a rotation.
            .UnprotectKeysWithAnyCertificate([certificate, .. previous]);
    }

    private static X509Certificate2 Load(IConfigurationSection section, string name)
    {
        var path = section["Path"];
        if (string.IsNullOrWhiteSpace(path) || !File.Exists(path))
        {
            throw new StartupException($"{name}:Path names no readable file ('{path}').");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, section["Password"], X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException ex)
        {
            throw new StartupException($"{name} ('{path}') could not be read as a .pfx with that password: {ex.Message}");
        }

        if (!certificate.HasPrivateKey)
        {
            throw new StartupException($"{name} ('{path}') has no private key: the key ring could be encrypted but never read back.");
        }

        return certificate;
    }
}
