using System.Runtime.InteropServices;
using System.Threading.Channels;
using Bridge.Audio;
using Bridge.NovaSonic;

namespace Bridge.Tests.MediaWorker.Calls.Fakes;

/// <summary>
/// The model's side of a call, played by the test: it says what the test tells it (speech, transcripts, barge-ins,
/// tool calls, stream switches) and records what the call sends it. The caller's speech is judged by the session's own
/// <see cref="CallerSpeechMonitor"/> (the same voice detector, on the same audio), on the test's clock.
/// </summary>
internal sealed class FakeConversation : INovaConversation
{
    public const int OutputRate = 8_000;

    private readonly Channel<NovaOutputEvent> _says = Channel.CreateUnbounded<NovaOutputEvent>();
    private readonly CallerSpeechMonitor _caller;
    private readonly Lock _lock = new();
    private readonly List<string> _texts = [];
    private readonly List<(string Id, string Result)> _toolResults = [];
    private readonly List<(string Said, string Heard)> _interruptions = [];
    private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _samplesIn;
    private volatile bool _playing;

    public FakeConversation(int inputRate, TimeProvider time) => _caller = new CallerSpeechMonitor(inputRate, time);

    public ChannelReader<NovaOutputEvent> Events => _says.Reader;

    public int Generation { get; set; } = 1;

    public bool IsHandingOff { get; set; }

    public bool IsModelSpeaking { get; set; }

    public long LastCallerSpeechAt => _caller.LastSpeechAt;

    /// <summary>What the call reported last: whether the caller is hearing model audio.</summary>
    public bool OutputPlaying => _playing;

    public long SamplesIn => Interlocked.Read(ref _samplesIn);

    public IReadOnlyList<string> Texts
    {
        get
        {
            lock (_lock)
            {
                return [.. _texts];
            }
        }
    }

    public IReadOnlyList<(string Id, string Result)> ToolResults
    {
        get
        {
            lock (_lock)
            {
                return [.. _toolResults];
            }
        }
    }

    public IReadOnlyList<(string Said, string Heard)> Interruptions
    {
        get
        {
            lock (_lock)
            {
                return [.. _interruptions];
            }
        }
    }

    public bool Disposed => _disposed.Task.IsCompleted;

    // What the model says.

    public void Says(params NovaOutputEvent[] events)
    {
        foreach (var output in events)
        {
            _says.Writer.TryWrite(output);
        }
    }

    /// <summary><paramref name="duration"/> of model speech (a tone) at <see cref="OutputRate"/>, in pieces of <paramref name="piece"/>.</summary>
    public void Speaks(TimeSpan duration, TimeSpan? piece = null, int? generation = null)
    {
        var total = (int)(OutputRate * duration.TotalSeconds);
        var step = (int)(OutputRate * (piece ?? TimeSpan.FromMilliseconds(40)).TotalSeconds);
        for (var at = 0; at < total; at += step)
        {
            var samples = new short[Math.Min(step, total - at)];
            for (var i = 0; i < samples.Length; i++)
            {
                samples[i] = (short)(4000 * Math.Sin(2 * Math.PI * 300 * (at + i) / OutputRate));
            }
            Says(new NovaAudioOutput(MemoryMarshal.AsBytes(samples.AsSpan()).ToArray(), generation ?? Generation));
        }
    }

    public void Plans(string words) => Says(new NovaTranscript(NovaRole.Assistant, NovaGenerationStage.Speculative, words));

    public void Hears(string words) => Says(new NovaTranscript(NovaRole.User, NovaGenerationStage.Final, words));

    public void EndsTurn(string words) => Says(new NovaTurnEnd(), new NovaTranscript(NovaRole.Assistant, NovaGenerationStage.Final, words));

    public void BargesIn() => Says(new NovaBargeIn());

    public void AsksForTool(string name, string toolUseId, string inputJson = "{}") => Says(new NovaToolUse(name, toolUseId, inputJson));

    /// <summary>The session moved to a new stream: later audio of older generations is stale.</summary>
    public void Renews()
    {
        Generation++;
        Says(new NovaStreamRenewed(Generation, NovaRenewalReason.Recovered, 0));
    }

    public void Ends() => _says.Writer.TryComplete();

    public void Fails(Exception error) => _says.Writer.TryComplete(error);

    // INovaConversation

    public VoiceActivity SendAudio(ReadOnlySpan<short> samples)
    {
        Interlocked.Add(ref _samplesIn, samples.Length);
        return _caller.Observe(samples);
    }

    public void SendText(string text)
    {
        lock (_lock)
        {
            _texts.Add(text);
        }
    }

    public void SendToolResult(string toolUseId, string resultJson)
    {
        lock (_lock)
        {
            _toolResults.Add((toolUseId, resultJson));
        }
    }

    public void AssistantInterrupted(string said, string heard)
    {
        lock (_lock)
        {
            _interruptions.Add((said, heard));
        }
    }

    public void ReportOutputPlaying(bool playing) => _playing = playing;

    public Task CloseAsync()
    {
        _says.Writer.TryComplete();
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _disposed.TrySetResult();
        _says.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }
}
