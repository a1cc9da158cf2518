using System.CommandLine.Parsing;
using System.Globalization;

namespace Bridge.CallSimulator.Cli;

/// <summary>A share given as a percentage (<c>1%</c>) or a fraction (<c>0.01</c>).</summary>
public static class Shares
{
    public static double Parse(ArgumentResult result, string option, double max)
    {
        var text = result.Tokens.Single().Value;
        var percent = text.EndsWith('%');
        var parsed = double.TryParse(percent ? text[..^1] : text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value);
        var share = percent ? value / 100 : value;
        if (!parsed || share is < 0 || share > max || double.IsNaN(share))
        {
            result.AddError(string.Create(CultureInfo.InvariantCulture,
                $"{option} must be a share from 0 to {100 * max:0.###}% (like 1% or 0.01), not '{text}'."));
            return 0;
        }
        return share;
    }
}
