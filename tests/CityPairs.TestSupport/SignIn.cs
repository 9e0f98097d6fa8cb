using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using CityPairs.Web.Data.Seeding;

namespace CityPairs.TestSupport;

/// <summary>The demo accounts (seeded in Development), as tests sign in with them.</summary>
public enum DemoUser
{
    Anonymous,
    Coordinator,
    Facilitator,
    Officer,
    Administrator,
}

/// <summary>Signs an HttpClient in through the real sign-in form (antiforgery token, two-factor code and all).</summary>
public static partial class SignIn
{
    public static string Email(this DemoUser user) => user switch
    {
        DemoUser.Administrator => DemoAccounts.Administrator,
        DemoUser.Officer => DemoAccounts.Officer,
        DemoUser.Coordinator => DemoAccounts.Coordinator,
        DemoUser.Facilitator => DemoAccounts.Facilitator,
        _ => throw new ArgumentOutOfRangeException(nameof(user), user, "Anonymous visitors do not sign in."),
    };

    /// <summary>The client must keep cookies. Returns the path the sign-in ended on.</summary>
    public static async Task<string> SignInAsync(this HttpClient client, DemoUser user)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (user == DemoUser.Anonymous)
        {
            return "/";
        }

        var response = await PostFormAsync(client, "/Account/Login", new() { ["Input.Email"] = user.Email(), ["Input.Password"] = DemoAccounts.Password });
        if (response.RequestMessage!.RequestUri!.AbsolutePath.Equals("/Account/LoginWith2fa", StringComparison.OrdinalIgnoreCase))
        {
            response = await PostFormAsync(client, response.RequestMessage.RequestUri.PathAndQuery,
                new() { ["Input.Code"] = Totp(DemoAccounts.AdministratorAuthenticatorKey) });
        }

        var path = response.RequestMessage!.RequestUri!.AbsolutePath;
        if (path.StartsWith("/Account/Login", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{user} could not sign in ({(int)response.StatusCode}, ended on {path}).");
        }

        return path;
    }

    /// <summary>GETs the page, then posts its form with its hidden fields (antiforgery token, handler) plus <paramref name="fields"/>.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, Dictionary<string, string> fields)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(fields);
        var html = await client.GetStringAsync(new Uri(path, UriKind.Relative));
        var form = new Dictionary<string, string>();
        foreach (Match hidden in HiddenInput().Matches(html))
        {
            form[WebUtility.HtmlDecode(hidden.Groups["name"].Value)] = WebUtility.HtmlDecode(hidden.Groups["value"].Value);
        }

        foreach (var (key, value) in fields)
        {
            form[key] = value;
        }

        using var content = new FormUrlEncodedContent(form);
        return await client.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    /// <summary>RFC 6238: the six-digit code an authenticator app shows now for this base32 key.</summary>
    public static string Totp(string base32Key, DateTimeOffset? at = null)
    {
        ArgumentNullException.ThrowIfNull(base32Key);
        var key = Base32(base32Key);
        var step = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds() / 30;
        var counter = BitConverter.GetBytes(step);
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(counter);
        }

        // Authenticator apps (and Identity's own check) use HMAC-SHA1, as RFC 6238 specifies.
#pragma warning disable CA5350
        var hash = HMACSHA1.HashData(key, counter);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0F;
        var binary = ((hash[offset] & 0x7F) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
    }

    private static byte[] Base32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bits = 0;
        var buffer = 0;
        var bytes = new List<byte>();
        foreach (var c in text.TrimEnd('=').ToUpperInvariant())
        {
            buffer = (buffer << 5) | alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }

        return [.. bytes];
    }

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInput();
}
