using System.Runtime.InteropServices;
using System.Threading.Channels;
using Bridge.Bedrock;
using Bridge.NovaSonic;

namespace Bridge.Tests.NovaSonic;

/// <summary>
/// A model stream played by the test: it records what the session sends (the history it was opened with, the
/// caller's audio, texts, tool results, the close) and says what the test tells it to, in Nova's terms. No network,
/// no clock: the session runs on a <c>FakeTimeProvider</c> around it.
/// </summary>
internal sealed class ScriptedNovaStream(int generation, IReadOnlyList<NovaTurn> history) : INovaStream
{
    private readonly Channel<NovaOutputEvent> _says = Channel.CreateUnbounded<NovaOutputEvent>();
    private readonly Lock _lock = new();
    private readonly List<short> _audio = [];
    private readonly List<string> _texts = [];
    private readonly List<string> _toolResults = [];
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _speaking;
    private volatile bool _talksAfterClose;
    private readonly HashSet<string> _askedTools = [];

    public int Generation => generation;

    /// <summary>The history the session opened this stream with.</summary>
    public IReadOnlyList<NovaTurn> History => history;

    public bool IsModelSpeaking => _speaking;

    public int PendingToolUses
    {
        get
        {
            lock (_lock)
            {
                return _askedTools.Count;
            }
        }
    }

    public bool AwaitsToolResult(string toolUseId)
    {
        lock (_lock)
        {
            return _askedTools.Contains(toolUseId);
        }
    }

    /// <summary>Completes when the session closes the stream in order (prompt and session end).</summary>
    public Task WhenClosed => _closed.Task.WaitAsync(ScriptedNovaModel.Wait);

    /// <summary>Completes when the session abandons the stream (or releases it after closing it).</summary>
    public Task WhenDisposed => _disposed.Task.WaitAsync(ScriptedNovaModel.Wait);

    public bool Closed => _closed.Task.IsCompleted;

    /// <summary>Events said that the session has not read yet.</summary>
    public int Unread => _says.Reader.Count;

    /// <summary>Every caller sample this stream received, in order (replayed audio first after a switch).</summary>
    public short[] Audio
    {
        get
        {
            lock (_lock)
            {
                return [.. _audio];
            }
        }
    }

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

    public IReadOnlyList<string> ToolResults
    {
        get
        {
            lock (_lock)
            {
                return [.. _toolResults];
            }
        }
    }

    // What the model says.

    public void Says(params NovaOutputEvent[] events)
    {
        foreach (var output in events)
        {
            _says.Writer.TryWrite(output);
        }
    }

    /// <summary>The caller's words, as Nova's final USER transcript.</summary>
    public void Heard(string words) => Says(new NovaTranscript(NovaRole.User, NovaGenerationStage.Final, words));

    /// <summary>The assistant's plan (a SPECULATIVE transcript), then its speech opens (an audio content).</summary>
    public void StartsAnswering(string words)
    {
        _speaking = true;
        Says(new NovaTranscript(NovaRole.Assistant, NovaGenerationStage.Speculative, words));
    }

    /// <summary><paramref name="samples"/> of model speech at the output rate.</summary>
    public void Speaks(int samples) => Says(new NovaAudioOutput(MemoryMarshal.AsBytes(new short[samples].AsSpan()).ToArray(), generation));

    /// <summary>The audio content ends with END_TURN, followed by the FINAL transcript of what was said.</summary>
    public void FinishesAnswer(string words)
    {
        _speaking = false;
        Says(new NovaTurnEnd(), new NovaTranscript(NovaRole.Assistant, NovaGenerationStage.Final, words));
    }

    public void AsksForTool(string toolName, string toolUseId)
    {
        lock (_lock)
        {
            _askedTools.Add(toolUseId);
        }
        Says(new NovaToolUse(toolName, toolUseId, "{}"));
    }

    public void Ends() => _says.Writer.TryComplete();

    /// <summary>A close in order does not end the stream at once: the model may still finish what it was saying, until <see cref="Ends"/>.</summary>
    public void TalksAfterClose() => _talksAfterClose = true;

    public void Fails(BedrockStreamException failure) => _says.Writer.TryComplete(failure);

    // INovaStream

    public void SendAudio(ReadOnlySpan<short> samples)
    {
        lock (_lock)
        {
            _audio.AddRange(samples);
        }
    }

    public void SendInteractiveText(string text)
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
            _toolResults.Add($"{toolUseId}: {resultJson}");
            _askedTools.Remove(toolUseId);
        }
    }

    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) => _says.Reader.WaitToReadAsync(cancellationToken);

    public bool TryRead(List<NovaOutputEvent> into)
    {
        if (!_says.Reader.TryRead(out var output))
        {
            return false;
        }
        into.Add(output);
        return true;
    }

    public Task CloseAsync(TimeSpan timeout, TimeProvider time)
    {
        _closed.TrySetResult();
        if (!_talksAfterClose)
        {
            _says.Writer.TryComplete();
        }
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _disposed.TrySetResult();
        _says.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }
}
