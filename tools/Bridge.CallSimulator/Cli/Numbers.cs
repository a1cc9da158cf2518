using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace Bridge.CallSimulator.Cli;

/// <summary>
/// A number option parsed and range-checked in one step. A validator that reads the value throws when the text is not a
/// number (System.CommandLine validates before it converts), so a word where a number belongs crashed the tool.
/// </summary>
public static class Numbers
{
    /// <summary>The value, or an error saying <paramref name="rule"/> and what was given.</summary>
    public static T Parse<T>(ArgumentResult result, Func<T, bool> allowed, string rule) where T : INumber<T>
    {
        var text = result.Tokens.Single().Value;
        if (T.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && allowed(value))
        {
            return value;
        }
        result.AddError($"{rule}, not '{text}'.");
        return T.Zero;
    }
}
