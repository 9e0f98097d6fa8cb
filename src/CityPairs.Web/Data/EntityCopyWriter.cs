using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace CityPairs.Web.Data;

/// <summary>
/// Writes entities into their table by binary COPY, with the table, columns, store types and value conversions
/// of the EF model (an enum stored as text is converted as EF would): a property added to the entity and its
/// migration is copied without anyone editing a column list. Writes the entity's own columns only, not its
/// navigations; never the row version (xmin, PostgreSQL's own) or computed columns. Used wherever cities are
/// copied (the cities import, the scale-data generator, the import benchmark) and for the import's audit entries.
/// </summary>
public sealed class EntityCopyWriter<TEntity>
    where TEntity : class
{
    private readonly Column[] _columns;

    /// <param name="model">The model whose mapping is copied (<c>db.Model</c>).</param>
    /// <param name="withKey">Whether the key is written (ids drawn beforehand) or left to its identity default.</param>
    public EntityCopyWriter(IModel model, bool withKey)
    {
        ArgumentNullException.ThrowIfNull(model);
        var type = model.FindEntityType(typeof(TEntity)) ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
        TableName = table.Schema is null ? Quote(table.Name) : $"{Quote(table.Schema)}.{Quote(table.Name)}";
        _columns = [.. type.GetProperties()
            .Where(p => p.ValueGenerated is not (ValueGenerated.OnAddOrUpdate or ValueGenerated.OnUpdate) && p.GetComputedColumnSql(table) is null)
            .Where(p => withKey || !p.IsPrimaryKey())
            .Select(p => Column.For(type, p, table))];
        Command = $"COPY {TableName} ({string.Join(", ", _columns.Select(c => Quote(c.Name)))}) FROM STDIN (FORMAT BINARY)";
    }

    public string TableName { get; }

    /// <summary>The column names written, in order.</summary>
    public IReadOnlyList<string> Columns => [.. _columns.Select(c => c.Name)];

    public string Command { get; }

    /// <summary>
    /// Copies the rows on the connection (in its transaction, if one is open); <paramref name="written"/> hears
    /// the count every 1,000 rows.
    /// </summary>
    public async Task WriteAsync(NpgsqlConnection connection, IEnumerable<TEntity> rows, Action<int>? written = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(rows);
        await using var copy = await connection.BeginBinaryImportAsync(Command, cancellationToken);
        var count = 0;
        foreach (var row in rows)
        {
            await copy.StartRowAsync(cancellationToken);
            foreach (var column in _columns)
            {
                if (column.Value(row) is { } value)
                {
                    await copy.WriteAsync(value, column.DataTypeName, cancellationToken);
                }
                else
                {
                    await copy.WriteNullAsync(cancellationToken);
                }
            }

            if (++count % 1_000 == 0)
            {
                written?.Invoke(count);
            }
        }

        await copy.CompleteAsync(cancellationToken);
    }

    private static string Quote(string identifier) => CopyStoreNames.Quote(identifier);

    private sealed record Column(string Name, string DataTypeName, Func<object, object?> Value)
    {
        public static Column For(IEntityType type, IProperty property, StoreObjectIdentifier table)
        {
            if (property.IsShadowProperty())
            {
                throw new NotSupportedException($"{type.DisplayName()}.{property.Name} is a shadow property; COPY writes values the entity holds.");
            }

            var mapping = property.GetRelationalTypeMapping();
            var getter = property.GetGetter();
            var converter = property.GetValueConverter() ?? mapping.Converter;
            Func<object, object?> value = converter is null
                ? getter.GetClrValueUsingContainingEntity
                : entity => getter.GetClrValueUsingContainingEntity(entity) is { } clr ? converter.ConvertToProvider(clr) : null;
            // COPY's binary format depends on the type, not its length: "character varying(120)" is written as "character varying".
            return new Column(property.GetColumnName(table)!, CopyStoreNames.WithoutFacets(mapping.StoreType), value);
        }
    }
}

internal static partial class CopyStoreNames
{
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string WithoutFacets(string storeType) => Facets().Replace(storeType, "");

    [GeneratedRegex(@"\(\s*\d+(\s*,\s*\d+)?\s*\)")]
    private static partial Regex Facets();
}
