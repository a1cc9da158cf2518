using Bridge.Audio;
using Bridge.TwilioStandIn.Media;

namespace Bridge.Softphone.Calls;

/// <summary>
/// The person's microphone as the caller's side of the line: 8 kHz PCM from the browser, buffered, taken one 20 ms
/// frame per tick of the stand-in's clock and sent as µ-law (Bridge.Audio's encoder). The browser's clock and the
/// stand-in's drift apart a little, so the buffer starts after two frames, refills after running dry, and never
/// holds more than <see cref="MaxBuffered"/> (the oldest audio goes).
/// </summary>
internal sealed class BrowserCallerAudio(TurnTimer turns) : CallerAudio
{
    private const int Prefill = 2 * FrameBytes;
    private static readonly int MaxBuffered = 25 * FrameBytes; // 500 ms

    private readonly Lock _gate = new();
    private readonly Queue<short> _samples = new();
    private readonly short[] _frame = new short[FrameBytes];
    private bool _flowing;

    /// <summary>A live caller talks until they hang up.</summary>
    public override TimeSpan Duration => TimeSpan.MaxValue;

    /// <summary>Not known in advance; the turn timer finds each end of speech as it happens.</summary>
    public override TimeSpan SpeechEnd => TimeSpan.Zero;

    /// <summary>Little-endian 16-bit samples at 8 kHz from the browser; an odd trailing byte is ignored.</summary>
    public void Write(ReadOnlySpan<byte> pcm16)
    {
        lock (_gate)
        {
            for (var i = 0; i + 1 < pcm16.Length; i += 2)
            {
                _samples.Enqueue((short)(pcm16[i] | pcm16[i + 1] << 8));
            }
            while (_samples.Count > MaxBuffered)
            {
                _samples.Dequeue();
            }
        }
    }

    public override void ReadFrame(long index, Span<byte> frame)
    {
        lock (_gate)
        {
            _flowing = _samples.Count >= (_flowing ? 1 : Prefill);
            var available = _flowing ? Math.Min(FrameBytes, _samples.Count) : 0;
            for (var i = 0; i < available; i++)
            {
                _frame[i] = _samples.Dequeue();
            }
            _frame.AsSpan(available).Clear();
            _flowing &= _samples.Count > 0 || available == FrameBytes;
            MuLaw.Encode(_frame, frame);
            turns.CallerFrame(index, _frame);
        }
    }
}
