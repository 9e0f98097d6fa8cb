using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.Web.Data;

/// <summary>One data-protection key ring element (the keys that sign cookies and antiforgery tokens).</summary>
public sealed class DataProtectionKeyRow
{
    public int Id { get; set; }

    public string? FriendlyName { get; set; }

    public string Xml { get; set; } = "";
}

/// <summary>
/// Keeps the key ring in PostgreSQL so every app instance reads the same keys: a sign-in cookie issued by one
/// instance is accepted by the others, and a restart does not sign everyone out. This is what
/// Microsoft.AspNetCore.DataProtection.EntityFrameworkCore does; the package itself could not be restored at
/// the ASP.NET Core version we pin (a dependency is missing from the feed), and the repository is this small.
/// </summary>
public sealed class DatabaseXmlRepository(IDbContextFactory<CityPairsDbContext> dbFactory) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var db = dbFactory.CreateDbContext();
        return db.DataProtectionKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).ToList().ConvertAll(XElement.Parse);
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        using var db = dbFactory.CreateDbContext();
        db.DataProtectionKeys.Add(new DataProtectionKeyRow { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
    }
}
