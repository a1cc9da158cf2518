using System.Net;
using System.Threading.Channels;

namespace Bridge.Tests.Tools.Emulator;

/// <summary>An HTTP/2 request body written frame by frame while the response is read.</summary>
internal sealed class DuplexContent : HttpContent
{
    private readonly Channel<byte[]> _frames = Channel.CreateUnbounded<byte[]>();

    public DuplexContent() => Headers.TryAddWithoutValidation("Content-Type", "application/vnd.amazon.eventstream");

    public ValueTask WriteAsync(byte[] frame) => _frames.Writer.WriteAsync(frame);

    public void Complete() => _frames.Writer.TryComplete();

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        // SocketsHttpHandler holds back the HEADERS frame of a request with a body until the body flushes: without
        // this, the response headers (which the test awaits before it sends anything) may never come.
        await stream.FlushAsync();
        await foreach (var frame in _frames.Reader.ReadAllAsync())
        {
            await stream.WriteAsync(frame);
            await stream.FlushAsync();
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
