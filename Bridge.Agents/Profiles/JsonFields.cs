using System.Globalization;
using System.Text.Json;

namespace Bridge.Agents.Profiles;

/// <summary>
/// Reads the fields of one JSON object of a profile document, reporting a wrong type or an unknown field (a typo)
/// through <paramref name="report"/> as (field, message), so every problem is found in one pass.
/// </summary>
internal sealed class JsonFields(JsonElement element, Action<string, string> report)
{
    public string? String(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            report(name, "must be a string");
            return null;
        }
        return value.GetString();
    }

    public bool? Boolean(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }
        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            report(name, "must be true or false");
            return null;
        }
        return value.GetBoolean();
    }

    public double? Number(string name, double min, double max)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || number < min || number > max)
        {
            report(name, $"must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");
            return null;
        }
        return number;
    }

    public int? Integer(string name, int min, int max)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number) || number < min || number > max)
        {
            report(name, $"must be a whole number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");
            return null;
        }
        return number;
    }

    /// <summary>A duration written <c>hh:mm:ss</c> (fractions allowed), within [min, max].</summary>
    public TimeSpan? Duration(string name, TimeSpan min, TimeSpan max)
    {
        var text = String(name);
        if (text is null)
        {
            return null;
        }
        if (!TimeSpan.TryParseExact(text, ["c", "g"], CultureInfo.InvariantCulture, out var duration) || duration < min || duration > max)
        {
            report(name, $"'{text}' must be a duration (hh:mm:ss) from {min:c} to {max:c}");
            return null;
        }
        return duration;
    }

    public IReadOnlyList<string>? Strings(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            report(name, "must be an array of strings");
            return null;
        }
        return [.. value.EnumerateArray().Select(e => e.GetString()!)];
    }

    /// <summary>An object of string values, in document order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? StringMap(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Object || value.EnumerateObject().Any(p => p.Value.ValueKind != JsonValueKind.String))
        {
            report(name, "must be an object whose values are strings");
            return null;
        }
        return [.. value.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetString()!))];
    }

    public JsonElement? Object(string name) => Of(name, JsonValueKind.Object, "must be an object");

    public JsonElement? Array(string name) => Of(name, JsonValueKind.Array, "must be an array");

    /// <summary>Reports every field that no read asked for.</summary>
    public void RejectUnknown(IEnumerable<string> known)
    {
        var allowed = known.ToHashSet(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!allowed.Contains(property.Name))
            {
                report(property.Name, $"is not a known field (known: {string.Join(", ", allowed.Order(StringComparer.Ordinal))})");
            }
        }
    }

    private JsonElement? Of(string name, JsonValueKind kind, string message)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }
        if (value.ValueKind != kind)
        {
            report(name, message);
            return null;
        }
        return value;
    }

    private bool TryGet(string name, out JsonElement value)
    {
        return element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;
    }
}
