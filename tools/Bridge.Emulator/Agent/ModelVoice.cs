using System.Threading.Channels;
using Bridge.Emulator.Hosting;
using Bridge.Emulator.Nova;

namespace Bridge.Emulator.Agent;

/// <summary>
/// The emulated model's output side: runs <see cref="Turn"/>s one after another, sends audio faster than real time
/// and keeps its audio content open until the audio would have finished playing, so that caller speech in that
/// window interrupts it (barge-in) as it interrupts the real model.
/// </summary>
internal sealed class ModelVoice : IAsyncDisposable
{
    // Not single-reader: Interrupt() drains waiting turns from the input side while the loop reads.
    private readonly Channel<Turn> _turns = Channel.CreateUnbounded<Turn>();
    private readonly OutputChannel _output;
    private readonly OutputEvents _events;
    private readonly EmulatorOptions _options;
    private readonly TimeProvider _time;
    private readonly int _outputRate;
    private readonly string _voiceId;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private CancellationTokenSource? _speaking;
    private int _completionStarted;
    private int _disposed;
    private TokenUsage _total;

    public ModelVoice(OutputChannel output, OutputEvents events, EmulatorOptions options, TimeProvider time, int outputRate, string voiceId)
    {
        _output = output;
        _events = events;
        _options = options;
        _time = time;
        _outputRate = outputRate;
        _voiceId = voiceId;
        _loop = Task.Run(RunAsync);
    }

    public int OutputRate => _outputRate;

    /// <summary>True from the first audio of a turn until it would have finished playing.</summary>
    public bool IsSpeaking => Volatile.Read(ref _speaking) is not null;

    public void Say(Turn turn) => _turns.Writer.TryWrite(turn);

    /// <summary>Caller speech over the model: stops the audio being spoken and drops the turns waiting.</summary>
    public bool Interrupt()
    {
        while (_turns.Reader.TryRead(out _))
        {
        }

        var speaking = Volatile.Read(ref _speaking);
        if (speaking is null)
        {
            return false;
        }

        speaking.Cancel();
        return true;
    }

    /// <summary>completionStart, once, before the first output of the stream.</summary>
    public void EnsureCompletionStarted()
    {
        if (Interlocked.Exchange(ref _completionStarted, 1) == 0)
        {
            _output.Event(_events.CompletionStart());
        }
    }

    /// <summary>The prompt ended: stop at once and close the completion.</summary>
    public async Task EndAsync()
    {
        await StopAsync();
        if (Volatile.Read(ref _completionStarted) == 1)
        {
            _output.Event(_events.CompletionEnd("END_TURN"));
        }
    }

    public async Task StopAsync()
    {
        _turns.Writer.TryComplete();
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stop.Dispose();
        }
    }

    private async Task RunAsync()
    {
        await foreach (var turn in _turns.Reader.ReadAllAsync(_stop.Token))
        {
            EnsureCompletionStarted();
            if (turn.UserTranscript is { } transcript)
            {
                Text("USER", OutputEvents.Final, transcript, "END_TURN");
            }

            if (turn.Tool is { } tool)
            {
                var id = NewId();
                _output.Event(_events.ToolContentStart(id));
                _output.Event(_events.ToolUse(id, tool.ToolName, tool.ToolUseId, tool.Input));
                _output.Event(_events.ContentEnd(id, "TOOL", "TOOL_USE"));
            }
            else
            {
                await SpeakAsync(turn);
            }

            _total += turn.Usage;
            _output.Event(_events.UsageEvent(turn.Usage, _total));
        }
    }

    private async Task SpeakAsync(Turn turn)
    {
        Text("ASSISTANT", OutputEvents.Speculative, turn.AssistantText ?? "", "PARTIAL_TURN");
        var audioId = NewId();
        using var speaking = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        Volatile.Write(ref _speaking, speaking);
        var interrupted = false;
        try
        {
            _output.Event(_events.AudioContentStart(audioId, _outputRate, _voiceId));
            await SendAudioAsync(audioId, turn.Audio, speaking.Token);
        }
        catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
        {
            interrupted = true;
        }
        finally
        {
            Volatile.Write(ref _speaking, null);
        }

        if (interrupted)
        {
            _output.Event(_events.ContentEnd(audioId, "AUDIO", "INTERRUPTED"));
            var textId = NewId();
            _output.Event(_events.TextContentStart(textId, "ASSISTANT", OutputEvents.Final));
            _output.Event(_events.TextOutput(textId, "ASSISTANT", InterruptedText));
            _output.Event(_events.ContentEnd(textId, "TEXT", "INTERRUPTED"));
            return;
        }

        _output.Event(_events.ContentEnd(audioId, "AUDIO", "END_TURN"));
        Text("ASSISTANT", OutputEvents.Final, turn.AssistantText ?? "", "END_TURN");
    }

    /// <summary>The content of the textOutput that tells the client the model was interrupted, spaces and all.</summary>
    public const string InterruptedText = "{ \"interrupted\" : true }";

    private async Task SendAudioAsync(string audioId, short[] audio, CancellationToken cancellationToken)
    {
        var chunkSamples = Math.Max(1, (int)(_outputRate * _options.OutputChunk.TotalSeconds));
        var start = _time.GetTimestamp();
        var realDuration = TimeSpan.FromSeconds((double)audio.Length / _outputRate);
        for (var offset = 0; offset < audio.Length; offset += chunkSamples)
        {
            if (_options.OutputSpeed > 0)
            {
                var due = TimeSpan.FromSeconds(offset / (double)_outputRate / _options.OutputSpeed);
                var wait = due - _time.GetElapsedTime(start);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _time, cancellationToken);
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(chunkSamples, audio.Length - offset);
            _output.Event(_events.AudioOutput(audioId, System.Runtime.InteropServices.MemoryMarshal.AsBytes(audio.AsSpan(offset, count))));
        }

        // The model keeps "speaking" until its audio would have been heard; barge-in is possible until then.
        var remaining = realDuration - _time.GetElapsedTime(start);
        if (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining, _time, cancellationToken);
        }
    }

    private void Text(string role, string stage, string content, string stopReason)
    {
        var id = NewId();
        _output.Event(_events.TextContentStart(id, role, stage));
        _output.Event(_events.TextOutput(id, role, content));
        _output.Event(_events.ContentEnd(id, "TEXT", stopReason));
    }

    private static string NewId() => Guid.NewGuid().ToString();
}
