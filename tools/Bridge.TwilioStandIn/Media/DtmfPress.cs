using System.Globalization;

namespace Bridge.TwilioStandIn.Media;

/// <summary>A key the caller presses <see cref="At"/> after the stream started (written <c>5@3s</c>).</summary>
public sealed record DtmfPress(char Digit, TimeSpan At)
{
    private const string Digits = "0123456789*#ABCD";

    /// <summary>Parses <c>digit@time</c>, the time in s or ms (<c>5@3s</c>, <c>#@1500ms</c>, <c>1@2.5s</c>).</summary>
    public static bool TryParse(string text, out DtmfPress press, out string error)
    {
        press = new DtmfPress('0', TimeSpan.Zero);
        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (at != 1 || !Digits.Contains(char.ToUpperInvariant(text[0]), StringComparison.Ordinal))
        {
            error = $"'{text}' is not digit@time: the digit is one of {Digits} (e.g. 5@3s)";
            return false;
        }
        if (!Durations.TryParse(text[(at + 1)..], out var time))
        {
            error = $"'{text}': the time after @ must be like 3s, 2.5s or 1500ms";
            return false;
        }
        press = new DtmfPress(char.ToUpperInvariant(text[0]), time);
        error = "";
        return true;
    }
}

/// <summary>Durations on the command line: <c>30s</c>, <c>1.5s</c>, <c>250ms</c>, <c>2m</c>.</summary>
public static class Durations
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        text = text.Trim();
        var (number, scale) =
            text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (text[..^2], 0.001) :
            text.EndsWith('s') ? (text[..^1], 1.0) :
            text.EndsWith('m') ? (text[..^1], 60.0) :
            text.EndsWith('h') ? (text[..^1], 3600.0) :
            (text, 1.0);
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value < 0 || value > 1e7)
        {
            return false;
        }
        duration = TimeSpan.FromSeconds(value * scale);
        return true;
    }
}
