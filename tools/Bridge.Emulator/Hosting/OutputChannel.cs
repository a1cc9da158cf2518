using System.Threading.Channels;
using Bridge.Emulator.Wire;

namespace Bridge.Emulator.Hosting;

/// <summary>
/// The frames waiting to be written to one response, from any producer. The first terminal item (an exception,
/// a reset, or the end) closes it; anything after is dropped.
/// </summary>
internal sealed class OutputChannel
{
    private readonly Channel<OutputItem> _items = Channel.CreateUnbounded<OutputItem>(new UnboundedChannelOptions { SingleReader = true });
    private int _closed;
    private int _corruptNextFrame;

    public ChannelReader<OutputItem> Reader => _items.Reader;

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Set by a corrupt-crc fault (on the input side): the writer spoils the next frame's CRC.</summary>
    public void CorruptNextFrame() => Volatile.Write(ref _corruptNextFrame, 1);

    /// <summary>For the writer: true once per corrupt-crc fault.</summary>
    public bool TakeCorruptFrame() => Interlocked.Exchange(ref _corruptNextFrame, 0) == 1;

    public void Event(byte[] eventJson)
    {
        if (!IsClosed)
        {
            _items.Writer.TryWrite(new OutputItem(OutputItemKind.Frame, OutputFrames.Chunk(eventJson)));
        }
    }

    /// <summary>Ends the stream with an exception frame; false when it had already ended.</summary>
    public bool Fail(string exceptionType, string message) =>
        Close(new OutputItem(OutputItemKind.Exception, OutputFrames.Exception(exceptionType, message)));

    public bool Reset() => Close(new OutputItem(OutputItemKind.Reset, null));

    public bool Complete() => Close(null);

    private bool Close(OutputItem? last)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return false;
        }

        if (last is { } item)
        {
            _items.Writer.TryWrite(item);
        }

        _items.Writer.TryComplete();
        return true;
    }
}
