using System.Buffers;

namespace Bridge.MediaWorker.Nova;

/// <summary>
/// Holds the caller's audio while one stream hands over to the next, so nothing said in between is lost.
/// Bounded: past <see cref="MaxSamples"/> the oldest audio goes (a handoff that long has failed anyway).
/// </summary>
internal sealed class HandoffBuffer(int sampleRate)
{
    private readonly ArrayBufferWriter<short> _samples = new();
    private readonly List<Action<INovaStream>> _pending = [];

    public int MaxSamples { get; } = sampleRate * 60;

    public int BufferedSamples => _samples.WrittenCount;

    public int DroppedSamples { get; private set; }

    internal ReadOnlySpan<short> Samples => _samples.WrittenSpan;

    public void Append(ReadOnlySpan<short> samples)
    {
        if (_samples.WrittenCount + samples.Length > MaxSamples)
        {
            DroppedSamples += samples.Length;
            return;
        }
        samples.CopyTo(_samples.GetSpan(samples.Length));
        _samples.Advance(samples.Length);
    }

    /// <summary>Text and tool results that arrived during the handoff, replayed on the new stream after the audio.</summary>
    public void Defer(Action<INovaStream> send) => _pending.Add(send);

    /// <summary>Sends the buffered audio in events of about 32 ms, then the deferred sends.</summary>
    public void ReplayInto(INovaStream stream)
    {
        var piece = sampleRate * 32 / 1000;
        var audio = _samples.WrittenSpan;
        for (var at = 0; at < audio.Length; at += piece)
        {
            stream.SendAudio(audio.Slice(at, Math.Min(piece, audio.Length - at)));
        }
        foreach (var send in _pending)
        {
            send(stream);
        }
    }
}
