using System.Text;

namespace Bridge.Agents.Prompts;

/// <summary>
/// A prompt or greeting with <c>{{variable}}</c> placeholders, checked when the profile is loaded (an unknown
/// variable or an unclosed brace is a configuration error) and filled at the start of each call.
/// </summary>
public sealed class PromptTemplate
{
    private readonly IReadOnlyList<(string Text, string? Variable)> _parts;

    private PromptTemplate(string text, IReadOnlyList<(string, string?)> parts)
    {
        Text = text;
        _parts = parts;
    }

    /// <summary>The template as written.</summary>
    public string Text { get; }

    /// <summary>The variables it uses, in order of first use.</summary>
    public IEnumerable<string> Variables => _parts.Where(p => p.Variable is not null).Select(p => p.Variable!).Distinct(StringComparer.Ordinal);

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says what is wrong, in a few words.</summary>
    public static PromptTemplate? TryParse(string text, out string? error) => TryParse(text, new HashSet<string>(), out error);

    /// <summary>As <see cref="TryParse(string, out string?)"/>, where the agent's outbound <paramref name="variables"/> may be used too.</summary>
    public static PromptTemplate? TryParse(string text, IReadOnlySet<string> variables, out string? error)
    {
        var parts = new List<(string, string?)>();
        var position = 0;
        while (position < text.Length)
        {
            var open = text.IndexOf("{{", position, StringComparison.Ordinal);
            if (open < 0)
            {
                parts.Add((text[position..], null));
                break;
            }
            var close = text.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                error = $"'{{{{' at character {open + 1} is never closed with '}}}}'";
                return null;
            }
            var name = text[(open + 2)..close].Trim();
            if (!PromptVariables.Known.Contains(name) && !variables.Contains(name))
            {
                error = $"unknown variable {{{{{name}}}}} (known: {string.Join(", ", PromptVariables.Known.Concat(variables).Select(v => "{{" + v + "}}"))}; an outbound variable must be listed in \"variables\")";
                return null;
            }
            if (open > position)
            {
                parts.Add((text[position..open], null));
            }
            parts.Add(("", name));
            position = close + 2;
        }
        error = null;
        return new PromptTemplate(text, parts);
    }

    /// <summary>The text with every variable replaced by its value.</summary>
    public string Render(PromptVariables values)
    {
        var rendered = new StringBuilder(Text.Length + 64);
        foreach (var (text, variable) in _parts)
        {
            rendered.Append(variable is null ? text : values[variable]);
        }
        return rendered.ToString();
    }
}
