using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Bridge.Emulator.Faults;

/// <summary>
/// The faults to inject into one stream. Written as a list separated by <c>;</c> or <c>,</c> of
/// <c>name[=argument][@trigger]</c>: <c>throttle</c>, <c>exception[=exceptionType]</c>, <c>reset</c>,
/// <c>corrupt-crc</c>, <c>slow[=milliseconds]</c>; a trigger is a count of input events (<c>@3</c>) or a time
/// since the open (<c>@2s</c>, <c>@500ms</c>). Without a trigger a fault fires after the first input event.
/// </summary>
public sealed class FaultPlan
{
    public static FaultPlan None { get; } = new([]);

    public FaultPlan(IReadOnlyList<Fault> faults) => Faults = faults;

    public IReadOnlyList<Fault> Faults { get; }

    public bool IsEmpty => Faults.Count == 0;

    public bool Has(FaultKind kind) => Faults.Any(f => f.Kind == kind);

    public FaultPlan With(FaultPlan other) =>
        other.IsEmpty ? this : IsEmpty ? other : new FaultPlan([.. Faults, .. other.Faults]);

    public static FaultPlan Parse(string? text) =>
        TryParse(text, out var plan, out var error) ? plan : throw new FormatException(error);

    public static bool TryParse(string? text, [NotNullWhen(true)] out FaultPlan? plan, [NotNullWhen(false)] out string? error)
    {
        plan = None;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var faults = new List<Fault>();
        foreach (var item in text.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!TryParseFault(item, out var fault, out error))
            {
                plan = null;
                return false;
            }

            faults.Add(fault);
        }

        plan = new FaultPlan(faults);
        return true;
    }

    public override string ToString() => string.Join(';', Faults.Select(f => f.Kind));

    private static bool TryParseFault(string item, [NotNullWhen(true)] out Fault? fault, [NotNullWhen(false)] out string? error)
    {
        fault = null;
        error = null;
        var at = item.IndexOf('@');
        var head = at < 0 ? item : item[..at];
        var trigger = at < 0 ? null : item[(at + 1)..];
        var equals = head.IndexOf('=');
        var name = (equals < 0 ? head : head[..equals]).Trim().ToLowerInvariant();
        var argument = equals < 0 ? null : head[(equals + 1)..].Trim();

        Fault? parsed = name switch
        {
            "throttle" => new Fault(FaultKind.Throttle),
            "exception" => new Fault(FaultKind.Exception) { ExceptionType = argument ?? ExceptionTypes.ModelStreamError },
            "reset" => new Fault(FaultKind.Reset),
            "corrupt-crc" => new Fault(FaultKind.CorruptCrc),
            "slow" => new Fault(FaultKind.SlowOutput),
            _ => null,
        };
        if (parsed is null)
        {
            error = $"has an unknown fault '{name}' (known: throttle, exception, reset, corrupt-crc, slow)";
            return false;
        }

        if (parsed.Kind == FaultKind.Exception && !ExceptionTypes.All.Contains(parsed.ExceptionType))
        {
            error = $"has an unknown exception type '{parsed.ExceptionType}' (known: {string.Join(", ", ExceptionTypes.All)})";
            return false;
        }

        if (parsed.Kind == FaultKind.SlowOutput && argument is not null)
        {
            if (!TryParseDuration(argument, assumeMilliseconds: true, out var delay))
            {
                error = $"has a bad delay '{argument}' for slow (e.g. slow=250ms)";
                return false;
            }

            parsed = parsed with { Delay = delay };
        }

        if (trigger is not null)
        {
            if (int.TryParse(trigger, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= 0)
            {
                parsed = parsed with { AfterInputEvents = count };
            }
            else if (TryParseDuration(trigger, assumeMilliseconds: false, out var time))
            {
                parsed = parsed with { AfterTime = time };
            }
            else
            {
                error = $"has a bad trigger '@{trigger}' for {name} (an input event count like @3 or a time like @2s or @500ms)";
                return false;
            }
        }

        fault = parsed;
        return true;
    }

    private static bool TryParseDuration(string text, bool assumeMilliseconds, out TimeSpan duration)
    {
        duration = default;
        var (number, scale) = text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (text[..^2], 1.0)
            : text.EndsWith('s') ? (text[..^1], 1000.0)
            : assumeMilliseconds ? (text, 1.0) : (null, 0);
        if (number is null || !double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0)
        {
            return false;
        }

        duration = TimeSpan.FromMilliseconds(value * scale);
        return true;
    }
}
