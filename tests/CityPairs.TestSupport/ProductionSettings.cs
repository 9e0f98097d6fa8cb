using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CityPairs.TestSupport;

/// <summary>
/// What a test adds to <see cref="CityPairsApp"/>'s settings to run the app as outside Development (the app then
/// neither migrates nor seeds: the test database is migrated already). Everything production insists on is here:
/// a certificate that encrypts the data-protection key ring, a mail server and the public address links are built from
/// (a closed local port: mail waits in the outbox, which these tests do not read).
/// </summary>
public static class ProductionSettings
{
    public const string CertificatePassword = "test-certificate-password";

    private static readonly Lazy<string> Certificate = new(() => CreateCertificate("CN=CityPairs test key ring"));

    public static Dictionary<string, string> Values => new()
    {
        ["environment"] = "Production",
        ["DataProtection:Certificate:Path"] = Certificate.Value,
        ["DataProtection:Certificate:Password"] = CertificatePassword,
        ["Mail:Host"] = "127.0.0.1",
        ["Mail:Port"] = "1",
        ["Mail:Security"] = "None",
        ["Mail:FromAddress"] = "citypairs@test.local",
        ["App:PublicBaseUrl"] = "https://citypairs.test",
    };

    /// <summary>A self-signed RSA certificate with its private key, as a password-protected .pfx in a temporary file.</summary>
    public static string CreateCertificate(string subject)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(Path.GetTempPath(), $"citypairs-test-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, CertificatePassword));
        return path;
    }
}
