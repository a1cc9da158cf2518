using Bridge.Audio;
using Microsoft.Extensions.Logging;

namespace Bridge.TwilioStandIn.Media;

/// <summary>
/// What Twilio does with the server's messages on one stream: <c>media</c> into the <see cref="PlaybackClock"/>,
/// <c>mark</c> echoed (through the sender) when playback reaches it, <c>clear</c> dropping buffered audio, anything
/// else rejected with Twilio's warning code; and, once per 20 ms tick, the next frame played (and recorded when asked).
/// Not thread-safe: the session calls it under its gate, so echoes keep their order.
/// </summary>
internal sealed class StreamPlayback
{
    /// <summary>Twilio buffers at most 10 minutes of outbound audio.</summary>
    private const long MaxBufferedBytes = 10L * 60 * TelephoneFrame.SampleRate;
    private const int BufferLimitWarning = 31931;

    private readonly StreamStart _stream;
    private readonly ILogger _logger;
    private readonly MediaStreamSender _sender;
    private readonly List<string> _echo = [];
    private readonly List<TwilioWarning> _warnings = [];
    private readonly List<string> _notes = [];
    private readonly HashSet<int> _reportedCodes = [];
    private readonly HeardAudioRecording? _recording;
    private readonly IHeardAudioSink? _listener;
    private readonly byte[] _frame = new byte[PlaybackClock.FrameBytes];
    private bool _bufferWarned;

    public StreamPlayback(StreamStart stream, ILogger logger, MediaStreamSender sender, bool recordHeardAudio, IHeardAudioSink? listener)
    {
        _stream = stream;
        _logger = logger;
        _sender = sender;
        _recording = recordHeardAudio ? new HeardAudioRecording() : null;
        _listener = listener;
    }

    public PlaybackClock Clock { get; } = new();

    public int MarksReceived { get; private set; }

    public long MediaReceived { get; private set; }

    public long BytesReceived { get; private set; }

    public IReadOnlyList<TwilioWarning> Warnings => _warnings;

    public IReadOnlyList<string> Notes => _notes;

    public byte[] HeardMuLaw => _recording?.ToArray() ?? [];

    public void Handle(ServerMessage message)
    {
        if (message.Note is { } note && _notes.Count < 100 && !_notes.Contains(note))
        {
            _notes.Add(note);
            MediaStreamLog.UndocumentedField(_logger, _stream.CallSid, note);
        }

        switch (message.Kind)
        {
            case ServerMessageKind.Media:
                MediaReceived++;
                BytesReceived += message.Payload!.Length;
                Clock.Enqueue(message.Payload);
                if (Clock.BufferedBytes > MaxBufferedBytes && !_bufferWarned)
                {
                    _bufferWarned = true;
                    Warn(BufferLimitWarning, "more than 10 minutes of audio buffered (Twilio refuses more)");
                }
                break;
            case ServerMessageKind.Mark:
                MarksReceived++;
                var now = Clock.Mark(message.MarkName!);
                if (now)
                {
                    _echo.Add(message.MarkName!);
                }
                MediaStreamLog.Mark(_logger, _stream.CallSid, message.MarkName!, now ? "nothing buffered: echoed at once" : $"echoed after {Clock.BufferedBytes / 8.0:0} ms of buffered audio");
                EchoMarks();
                break;
            case ServerMessageKind.Clear:
                Clock.Clear(_echo);
                MediaStreamLog.Clear(_logger, _stream.CallSid, _echo.Count);
                EchoMarks();
                break;
            default:
                Warn(message.WarningCode, message.Problem!);
                break;
        }
    }

    /// <summary>One 20 ms step of playback: the marks it reaches are echoed, the next frame starts playing.</summary>
    public void Tick()
    {
        var tick = Clock.Ticks;
        var playedBefore = Clock.PlayedBytes;
        Clock.Tick(_frame, _echo);
        var played = (int)(Clock.PlayedBytes - playedBefore);
        _recording?.Played(tick, _frame, played);
        _listener?.Played(tick, _frame, played);
        EchoMarks();
    }

    /// <summary>The first tick from <paramref name="tick"/> on that played anything but silence, in the recording.</summary>
    public long? FirstAudioTickFrom(long tick) => _recording?.FirstAudioTickFrom(tick);

    private void Warn(int code, string problem)
    {
        _warnings.Add(new TwilioWarning(code, problem));
        if (_reportedCodes.Add(code))
        {
            MediaStreamLog.TwilioWarning(_logger, _stream.CallSid, code, problem);
        }
        else
        {
            MediaStreamLog.RepeatedWarning(_logger, _stream.CallSid, code, problem);
        }
    }

    private void EchoMarks()
    {
        foreach (var name in _echo)
        {
            _sender.Post(Outbound.Mark(name));
            MediaStreamLog.MarkEchoed(_logger, _stream.CallSid, name);
        }
        _echo.Clear();
    }
}
