using System.Data;
using System.Data.Common;

namespace Mailroom.Directory.Sql;

/// <summary>Binds values the same way on the three providers.</summary>
internal static class SqlParameters
{
    /// <summary>
    /// Adds a named parameter. Strings (and nulls) are typed as text so PostgreSQL can infer <c>@x IS NULL</c>;
    /// UTC <see cref="DateTime"/> values are left to the provider, which maps them to <c>timestamptz</c>/<c>datetime</c>.
    /// </summary>
    public static void Add(DbCommand command, string name, object? value)
    {
        DbParameter parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        switch (value)
        {
            case null or string:
                parameter.DbType = DbType.String;
                break;
            case bool:
                parameter.DbType = DbType.Boolean;
                break;
            case long:
                parameter.DbType = DbType.Int64;
                break;
            case int:
                parameter.DbType = DbType.Int32;
                break;
        }

        command.Parameters.Add(parameter);
    }
}
