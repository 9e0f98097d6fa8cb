using System.Linq.Expressions;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using NpgsqlTypes;

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
                await column.WriteAsync(copy, row, cancellationToken);
            }

            if (++count % 1_000 == 0)
            {
                written?.Invoke(count);
            }
        }

        await copy.CompleteAsync(cancellationToken);
    }

    private static string Quote(string identifier) => CopyStoreNames.Quote(identifier);

    /// <summary>
    /// One column: a compiled read of the property, converted to the provider type as EF converts it, written with
    /// its own type, so a row costs no boxing and no type lookup per value.
    /// </summary>
    private abstract class Column(string name, NpgsqlDbType dbType)
    {
        public string Name { get; } = name;

        protected NpgsqlDbType DbType { get; } = dbType;

        public abstract Task WriteAsync(NpgsqlBinaryImporter copy, TEntity entity, CancellationToken cancellationToken);

        public static Column For(IEntityType type, IProperty property, StoreObjectIdentifier table)
        {
            var member = (System.Reflection.MemberInfo?)property.PropertyInfo ?? property.FieldInfo
                ?? throw new NotSupportedException($"{type.DisplayName()}.{property.Name} is a shadow property; COPY writes values the entity holds.");
            var mapping = property.GetRelationalTypeMapping();
            var converter = property.GetValueConverter() ?? mapping.Converter;
            var entity = Expression.Parameter(typeof(TEntity), "entity");
            Expression value = Expression.MakeMemberAccess(entity, member);
            if (converter is not null)
            {
                var convert = converter.ConvertToProviderExpression;
                var model = Nullable.GetUnderlyingType(value.Type) is not null ? Expression.Property(value, "Value") : value;
                Expression converted = Expression.Invoke(convert, Expression.Convert(model, convert.Parameters[0].Type));
                var canBeNull = !value.Type.IsValueType || Nullable.GetUnderlyingType(value.Type) is not null;
                if (canBeNull && !converter.ConvertsNulls)
                {
                    // EF never hands a null to a converter; neither does this.
                    var provider = converted.Type.IsValueType && Nullable.GetUnderlyingType(converted.Type) is null
                        ? typeof(Nullable<>).MakeGenericType(converted.Type)
                        : converted.Type;
                    converted = Expression.Condition(
                        Expression.Equal(value, Expression.Constant(null, value.Type)), Expression.Constant(null, provider), Expression.Convert(converted, provider));
                }

                value = converted;
            }

            // COPY's binary format depends on the type, not its length ("character varying(120)" is "character
            // varying"). The name is turned into an NpgsqlDbType once: passed with every value, it made Npgsql
            // resolve the type again for each one (the import's bare COPY took a third longer).
            var dbType = new NpgsqlParameter { DataTypeName = CopyStoreNames.WithoutFacets(mapping.StoreType) }.NpgsqlDbType;
            if (dbType == NpgsqlDbType.Unknown)
            {
                throw new NotSupportedException($"{type.DisplayName()}.{property.Name}: Npgsql has no type for \"{mapping.StoreType}\".");
            }

            var columnType = Nullable.GetUnderlyingType(value.Type) is { } inner ? typeof(NullableColumn<>).MakeGenericType(typeof(TEntity), inner)
                : value.Type.IsValueType ? typeof(ValueColumn<>).MakeGenericType(typeof(TEntity), value.Type)
                : typeof(ReferenceColumn<>).MakeGenericType(typeof(TEntity), value.Type);
            var read = Expression.Lambda(value, entity).Compile();
            return (Column)Activator.CreateInstance(columnType, property.GetColumnName(table)!, dbType, read)!;
        }
    }

    private sealed class ValueColumn<T>(string name, NpgsqlDbType dbType, Func<TEntity, T> read) : Column(name, dbType)
        where T : struct
    {
        public override Task WriteAsync(NpgsqlBinaryImporter copy, TEntity entity, CancellationToken cancellationToken) =>
            copy.WriteAsync(read(entity), DbType, cancellationToken);
    }

    private sealed class NullableColumn<T>(string name, NpgsqlDbType dbType, Func<TEntity, T?> read) : Column(name, dbType)
        where T : struct
    {
        public override Task WriteAsync(NpgsqlBinaryImporter copy, TEntity entity, CancellationToken cancellationToken) =>
            read(entity) is { } value ? copy.WriteAsync(value, DbType, cancellationToken) : copy.WriteNullAsync(cancellationToken);
    }

    private sealed class ReferenceColumn<T>(string name, NpgsqlDbType dbType, Func<TEntity, T?> read) : Column(name, dbType)
        where T : class
    {
        public override Task WriteAsync(NpgsqlBinaryImporter copy, TEntity entity, CancellationToken cancellationToken) =>
            read(entity) is { } value ? copy.WriteAsync(value, DbType, cancellationToken) : copy.WriteNullAsync(cancellationToken);
    }
}

internal static partial class CopyStoreNames
{
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string WithoutFacets(string storeType) => Facets().Replace(storeType, "");

    [GeneratedRegex(@"\(\s*\d+(\s*,\s*\d+)?\s*\)", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Facets();
}
