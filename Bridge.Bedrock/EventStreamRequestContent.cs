using System.Net;
using System.Threading.Channels;
using Bridge.Buffers;

namespace Bridge.Bedrock;

/// <summary>
/// The request body of a bidirectional stream: writes framed events as they are queued and stays open until the
/// queue is completed (the end of the call), never because nothing was sent for a while. Calls
/// <paramref name="frameTaken"/> each time it takes a frame to write.
/// </summary>
internal sealed class EventStreamRequestContent(ChannelReader<OutgoingFrame> frames, Action frameTaken) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        // HTTP/2 holds the request headers back until the body is written or flushed; the server should see the
        // request (and answer it) even before the first event.
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        while (await frames.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (frames.TryRead(out var frame))
            {
                frameTaken();
                try
                {
                    await stream.WriteAsync(frame.Buffer.AsMemory(0, frame.Length), cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    RentedBuffers.Return(frame.Buffer);
                }
            }
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}

/// <summary>A framed, signed event in a pooled buffer, waiting to be written.</summary>
internal readonly record struct OutgoingFrame(byte[] Buffer, int Length);
