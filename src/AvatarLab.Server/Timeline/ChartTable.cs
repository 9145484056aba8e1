using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AvatarLab.Server.Timeline;

/// <summary>
/// The numbers behind one chart, column by column: what the chart draws and what its CSV and
/// JSON exports contain (the same object, so an export is exactly the chart's data).
/// Missing values are NaN and export as empty CSV cells and JSON nulls.
/// </summary>
public sealed class ChartTable(string name, IReadOnlyList<string> columns, IReadOnlyList<double[]> values)
{
    public string Name { get; } = name;

    public IReadOnlyList<string> Columns { get; } = columns;

    /// <summary>One array per column, all of <see cref="Rows"/> length.</summary>
    public IReadOnlyList<double[]> Values { get; } = Check(columns, values);

    public int Rows => Values.Count == 0 ? 0 : Values[0].Length;

    public double[] Column(string column)
    {
        var i = Columns.ToList().IndexOf(column);
        return i < 0 ? throw new KeyNotFoundException($"chart table '{Name}' has no column '{column}'") : Values[i];
    }

    public string ToCsv()
    {
        var sb = new StringBuilder();
        sb.AppendJoin(',', Columns).Append('\n');
        for (var r = 0; r < Rows; r++)
        {
            for (var c = 0; c < Columns.Count; c++)
            {
                if (c > 0)
                {
                    sb.Append(',');
                }

                var v = Values[c][r];
                if (double.IsFinite(v))
                {
                    sb.Append(v.ToString("R", CultureInfo.InvariantCulture));
                }
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>{"name": ..., "columns": {"col": [values...], ...}}, column-oriented.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("name", Name);
            w.WriteNumber("rows", Rows);
            w.WriteStartObject("columns");
            for (var c = 0; c < Columns.Count; c++)
            {
                w.WriteStartArray(Columns[c]);
                foreach (var v in Values[c])
                {
                    if (double.IsFinite(v))
                    {
                        w.WriteNumberValue(v);
                    }
                    else
                    {
                        w.WriteNullValue();
                    }
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static IReadOnlyList<double[]> Check(IReadOnlyList<string> columns, IReadOnlyList<double[]> values)
    {
        if (columns.Count != values.Count)
        {
            throw new ArgumentException($"{columns.Count} column names for {values.Count} columns");
        }

        if (values.Select(v => v.Length).Distinct().Count() > 1)
        {
            throw new ArgumentException("chart table columns differ in length");
        }

        return values;
    }
}
