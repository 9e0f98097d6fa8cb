using Microsoft.EntityFrameworkCore;

namespace CityPairs.TestSupport;

/// <summary>What a user gets at a path: the page, the sign-in page, or "not allowed".</summary>
public enum Outcome
{
    Ok,
    SignIn,
    Denied,
}

/// <summary>One path to request, the route (as the app declares it) that serves it, and the outcome per user.</summary>
public sealed record MatrixRow(string Route, string Path, IReadOnlyList<Outcome> Expected)
{
    public Outcome ExpectedFor(DemoUser user) => Expected[AuthorizationMatrix.Users.ToList().IndexOf(user)];
}

/// <summary>
/// Who may reach every page and endpoint of the app, as demo data makes it. One table, read both by the test
/// that makes full requests and by the browser test that navigates inside a circuit, so the two cannot drift.
/// </summary>
public static class AuthorizationMatrix
{
    private const Outcome O = Outcome.Ok;
    private const Outcome S = Outcome.SignIn;
    private const Outcome D = Outcome.Denied;

    /// <summary>The columns of <see cref="MatrixRow.Expected"/>, in order.</summary>
    public static IReadOnlyList<DemoUser> Users { get; } = [DemoUser.Anonymous, DemoUser.Coordinator, DemoUser.Facilitator, DemoUser.Officer, DemoUser.Administrator];

    /// <summary>The rows, with record ids from the demo data in <paramref name="database"/> (loaded when the app starts).</summary>
    public static async Task<IReadOnlyList<MatrixRow>> RowsAsync(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        var ids = await IdsAsync(database);

        // Columns: anonymous, coordinator of Tarija, facilitator, officer of VVSG C2C and WC, administrator.
        return
        [
            new("/", "/", [O, O, O, O, O]),
            new("/directory", "/directory", [O, O, O, O, O]),
            new("/error", "/error", [O, O, O, O, O]), // the production error page: a request id and nothing of the failure
            new("/health/live", "/health/live", [O, O, O, O, O]),
            new("/health/ready", "/health/ready", [O, O, O, O, O]),
            new("/Account/Login", "/Account/Login", [O, O, O, O, O]),
            new("/Account/LoginWith2fa", "/Account/LoginWith2fa", [S, S, S, S, S]), // only right after a correct password
            new("/Account/ForgotPassword", "/Account/ForgotPassword", [O, O, O, O, O]),
            new("/Account/ResetPassword", "/Account/ResetPassword", [O, O, O, O, O]),
            new("/Account/Lockout", "/Account/Lockout", [O, O, O, O, O]),
            new("/Account/AccessDenied", "/Account/AccessDenied", [O, O, O, O, O]),
            new("/Account/EnableAuthenticator", "/Account/EnableAuthenticator", [S, O, O, O, O]),
            new("/cities", "/cities", [S, O, O, O, O]),
            new("/cities/{Id:int}", $"/cities/{ids.Herent}", [S, O, O, O, O]),
            new("/cities/new", "/cities/new", [S, D, D, O, O]),
            new("/cities/{Id:int}/edit", $"/cities/{ids.Tarija}/edit", [S, O, D, O, O]),
            new("/cities/{Id:int}/edit", $"/cities/{ids.Herent}/edit", [S, D, D, O, O]),
            new("/cities/{Id:int}/edit", $"/cities/{ids.Surat}/edit", [S, D, D, D, O]),
            new("/partnerships", "/partnerships", [S, O, O, O, O]),
            new("/partnerships/{Id:int}", $"/partnerships/{ids.BrasschaatTarija}", [S, O, O, O, O]),
            new("/partnerships/{id:int}/summary.pdf", $"/partnerships/{ids.SuratRotterdam}/summary.pdf", [S, O, O, O, O]), // as the partnership's page
            new("/partnerships/new", "/partnerships/new", [S, D, O, O, O]),
            new("/partnerships/{Id:int}/edit", $"/partnerships/{ids.BrasschaatTarija}/edit", [S, D, D, O, O]),
            new("/partnerships/{Id:int}/edit", $"/partnerships/{ids.SuratRotterdam}/edit", [S, D, D, D, O]),
            new("/partnerships/{PartnershipId:int}/exchanges/new", $"/partnerships/{ids.BrasschaatTarija}/exchanges/new", [S, O, D, O, O]),
            new("/partnerships/{PartnershipId:int}/exchanges/new", $"/partnerships/{ids.HerentNimlahakok}/exchanges/new", [S, D, D, O, O]),
            new("/partnerships/{PartnershipId:int}/exchanges/new", $"/partnerships/{ids.SuratRotterdam}/exchanges/new", [S, D, D, D, O]),
            new("/exchanges/{Id:int}/edit", $"/exchanges/{ids.TarijaExchange}/edit", [S, O, D, O, O]),
            new("/exchanges/{Id:int}/edit", $"/exchanges/{ids.HerentExchange}/edit", [S, D, D, O, O]),
            new("/programmes", "/programmes", [S, O, O, O, O]),
            new("/programmes/{Id:int}", $"/programmes/{ids.Vvsg}", [S, O, O, O, O]),
            new("/programmes/new", "/programmes/new", [S, D, D, D, O]),
            new("/programmes/{Id:int}/edit", $"/programmes/{ids.Vvsg}/edit", [S, D, D, O, O]),
            new("/programmes/{Id:int}/edit", $"/programmes/{ids.Iuc}/edit", [S, D, D, D, O]),
            new("/matches", "/matches", [S, O, O, O, O]), // a coordinator for their own cities only (MatchesAccessTests)
            new("/api/v1/cities/{id:int}/matches", $"/api/v1/cities/{ids.Tarija}/matches", [S, O, O, O, O]),
            new("/api/v1/cities/{id:int}/matches", $"/api/v1/cities/{ids.Herent}/matches", [S, D, O, O, O]), // not the coordinator's city
            new("/calls", "/calls", [S, O, O, O, O]),
            new("/calls/{Id:int}", $"/calls/{ids.TarijaCall}", [S, O, O, O, O]),
            new("/calls/new", "/calls/new", [S, O, D, O, O]),
            new("/calls/{Id:int}/edit", $"/calls/{ids.TarijaCall}/edit", [S, O, D, O, O]), // VVSG C2C works with Tarija
            new("/calls/{Id:int}/edit", $"/calls/{ids.NampulaCall}/edit", [S, D, D, D, O]), // no programme of the officer's works with Nampula
            new("/api/v1/calls", "/api/v1/calls", [S, O, O, O, O]),
            new("/api/v1/calls/{id:int}", $"/api/v1/calls/{ids.NampulaCall}", [S, O, O, O, O]),
            new("/api/v1/cities", "/api/v1/cities", [S, O, O, O, O]),
            new("/api/v1/cities/{id:int}", $"/api/v1/cities/{ids.Herent}", [S, O, O, O, O]),
            new("/api/v1/programmes", "/api/v1/programmes", [S, O, O, O, O]),
            new("/api/v1/programmes/{id:int}", $"/api/v1/programmes/{ids.Vvsg}", [S, O, O, O, O]),
            new("/api/v1/partnerships", "/api/v1/partnerships?status=Active", [S, O, O, O, O]),
            new("/api/v1/partnerships/{id:int}", $"/api/v1/partnerships/{ids.SuratRotterdam}", [S, O, O, O, O]),
            new("/api/v1/partnerships/{partnershipId:int}/exchanges", $"/api/v1/partnerships/{ids.HerentNimlahakok}/exchanges", [S, O, O, O, O]),
            new("/api/v1/partnerships/{id:int}/invitations", $"/api/v1/partnerships/{ids.BrasschaatTarija}/invitations", [S, O, O, O, O]), // as the partnership's page
            new("/api/v1/exchanges/{id:int}", $"/api/v1/exchanges/{ids.HerentExchange}", [S, O, O, O, O]),
            new("/api/v1/openapi.json", "/api/v1/openapi.json", [O, O, O, O, O]), // describes the API, holds no data
            new("/api/reference/{documentName?}", "/api/reference/", [O, O, O, O, O]), // renders the document above
            new("/api/reference/scalar.js", "/api/reference/scalar.js", [O, O, O, O, O]), // the reference page's own script, no data
            new("/api/reference/scalar.aspnetcore.js", "/api/reference/scalar.aspnetcore.js", [O, O, O, O, O]),
            new("/api/reference/favicon.svg", "/api/reference/favicon.svg", [O, O, O, O, O]),
            new("/account/api-tokens", "/account/api-tokens", [S, O, O, O, O]), // each user's own tokens
            new("/inbox", "/inbox", [S, O, O, O, O]), // each person's own notifications
            new("/account/notifications", "/account/notifications", [S, O, O, O, O]), // each person's own e-mail preference
            new("/dev/mailbox", "/dev/mailbox", [S, O, O, O, O]), // Development only (these tests run in it); demo mail
            new("/admin/users", "/admin/users", [S, D, D, D, O]),
            new("/admin/security-log", "/admin/security-log", [S, D, D, D, O]),
            new("/map", "/map", [S, O, O, O, O]),
            new("/dashboards", "/dashboards", [S, O, O, O, O]),
            new("/import", "/import", [S, D, D, O, O]),
            new("/export/cities.{format}", "/export/cities.csv", [S, O, O, O, O]),
            new("/export/partnerships.{format}", "/export/partnerships.csv", [S, O, O, O, O]),
            new("/export/portfolio.xlsx", "/export/portfolio.xlsx", [S, D, D, O, O]), // every city's contacts: those who may import
        ];
    }

    private sealed record Ids(
        int Tarija, int Herent, int Surat, int BrasschaatTarija, int HerentNimlahakok, int SuratRotterdam,
        int TarijaExchange, int HerentExchange, int Vvsg, int Iuc, int TarijaCall, int NampulaCall);

    private static async Task<Ids> IdsAsync(PostgresDatabase database)
    {
        await using var db = database.CreateDbContext();
        async Task<int> City(string name) => await db.Cities.Where(c => c.Name == name).Select(c => c.Id).SingleAsync();
        async Task<int> Partnership(string name) => await db.Partnerships.Where(p => p.Name == name).Select(p => p.Id).FirstAsync();
        async Task<int> Programme(string name) => await db.Programmes.Where(p => p.ShortName == name).Select(p => p.Id).SingleAsync();
        var brasschaatTarija = await Partnership("Brasschaat - Tarija");
        var herentNimlahakok = await Partnership("Herent - Nimlaha'kok");
        return new Ids(
            await City("Tarija"), await City("Herent"), await City("Surat"), brasschaatTarija, herentNimlahakok,
            await db.Partnerships.Where(p => p.Name.Contains("Surat")).Select(p => p.Id).FirstAsync(),
            await db.Exchanges.Where(e => e.PartnershipId == brasschaatTarija).Select(e => e.Id).FirstAsync(),
            await db.Exchanges.Where(e => e.PartnershipId == herentNimlahakok).Select(e => e.Id).FirstAsync(),
            await Programme("VVSG C2C"), await Programme("IUC"),
            await db.PartnerCalls.Where(c => c.CityId == db.Cities.Single(x => x.Name == "Tarija").Id).Select(c => c.Id).FirstAsync(),
            await db.PartnerCalls.Where(c => c.CityId == db.Cities.Single(x => x.Name == "Nampula").Id).Select(c => c.Id).FirstAsync());
    }
}
