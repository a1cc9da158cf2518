using Bridge.NovaSonic;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.NovaSonic;

/// <summary>
/// A <see cref="NovaSonicSession"/> on fake time over <see cref="ScriptedNovaStream"/>s: every stream the session
/// opens is kept, in order, for the test to script and inspect. Opening can be held (<see cref="HoldOpens"/>) to keep a
/// switch under way, or made to fail.
/// </summary>
internal sealed class ScriptedNovaModel
{
    public const int InputRate = 16_000;

    /// <summary>How long a test waits for something the session does on its own threads (never a measure of time).</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private readonly List<ScriptedNovaStream> _streams = [];
    private readonly List<TaskCompletionSource<ScriptedNovaStream>> _opened = [];
    private readonly List<TaskCompletionSource<bool>> _requested = [];
    private TaskCompletionSource? _openGate;

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>What the next open throws, if anything.</summary>
    public Exception? FailOpens { get; set; }

    public static NovaSonicOptions Options(TimeSpan? renewAfter = null, TimeSpan? quietWait = null) => new()
    {
        RenewStreamAfter = renewAfter ?? TimeSpan.FromMinutes(6),
        RenewalQuietWait = quietWait ?? TimeSpan.FromSeconds(60),
    };

    public NovaSonicSession StartSession(NovaSonicOptions? options = null, IReadOnlyList<NovaTurn>? history = null)
    {
        var conversation = new NovaConversationHistory(history);
        var first = Keep(new ScriptedNovaStream(1, conversation.ForNewStream()));
        return new NovaSonicSession(first, OpenAsync, conversation, options ?? Options(), InputRate, Time, NullLogger.Instance);
    }

    /// <summary>Stream <paramref name="generation"/> (1 is the first), once the session has opened it.</summary>
    public Task<ScriptedNovaStream> Stream(int generation) => Opened(generation).Task.WaitAsync(Wait);

    public int StreamsOpened
    {
        get
        {
            lock (_lock)
            {
                return _streams.Count;
            }
        }
    }

    /// <summary>Completes when the session asks for stream <paramref name="generation"/> (a switch is then under way).</summary>
    public Task OpenRequested(int generation) => Signal(_requested, generation).Task.WaitAsync(Wait);

    /// <summary>Opens wait until <see cref="ReleaseOpens"/>.</summary>
    public void HoldOpens()
    {
        lock (_lock)
        {
            _openGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void ReleaseOpens()
    {
        lock (_lock)
        {
            _openGate?.TrySetResult();
            _openGate = null;
        }
    }

    private async Task<INovaStream> OpenAsync(IReadOnlyList<NovaTurn> history, int generation, CancellationToken cancellationToken)
    {
        Signal(_requested, generation).TrySetResult(true);
        Task gate;
        lock (_lock)
        {
            gate = _openGate?.Task ?? Task.CompletedTask;
        }
        await gate.WaitAsync(cancellationToken);
        if (FailOpens is { } failure)
        {
            throw failure;
        }
        return Keep(new ScriptedNovaStream(generation, history));
    }

    private ScriptedNovaStream Keep(ScriptedNovaStream stream)
    {
        lock (_lock)
        {
            _streams.Add(stream);
        }
        Opened(stream.Generation).TrySetResult(stream);
        return stream;
    }

    private TaskCompletionSource<ScriptedNovaStream> Opened(int generation) => Signal(_opened, generation);

    private TaskCompletionSource<T> Signal<T>(List<TaskCompletionSource<T>> signals, int generation)
    {
        lock (_lock)
        {
            while (signals.Count < generation)
            {
                signals.Add(new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously));
            }
            return signals[generation - 1];
        }
    }
}
