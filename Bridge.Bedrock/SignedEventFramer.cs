namespace Bridge.Bedrock;

/// <summary>
/// Frames input events for the wire: the inner chunk message wrapped in an outer message carrying <c>:date</c> and
/// <c>:chunk-signature</c>, signed in the chain. Everything is written into the caller's buffer; nothing allocated.
/// </summary>
public sealed class SignedEventFramer(EventSignatureChain chain) : IDisposable
{
    private const byte BytesHeader = 6;
    private static ReadOnlySpan<byte> SignatureHeaderName => ":chunk-signature"u8;

    /// <summary>The encoded outer headers: <c>:date</c> then <c>:chunk-signature</c> (name, type 6, 2-byte length, 32 bytes).</summary>
    public const int OuterHeadersLength = EventSignatureChain.DateHeaderLength + 1 + 16 + 1 + 2 + EventSignatureChain.SignatureLength;

    private const int PayloadOffset = EventStreamEncoding.PreludeLength + OuterHeadersLength;

    /// <summary>The buffer size that always holds the framed event (the exact length is returned by <see cref="FrameEvent"/>).</summary>
    public static int MaxFramedLength(int eventJsonLength) =>
        PayloadOffset + EventStreamEncoding.ChunkEventLength(eventJsonLength) + EventStreamEncoding.TrailerLength;

    /// <summary>The length of the empty signed message that ends the input.</summary>
    public const int EndOfInputLength = PayloadOffset + EventStreamEncoding.TrailerLength;

    /// <summary>Frames and signs one event's JSON; returns the number of bytes written.</summary>
    public int FrameEvent(ReadOnlySpan<byte> eventJson, DateTimeOffset now, Span<byte> destination)
    {
        var innerLength = EventStreamEncoding.WriteChunkEvent(eventJson, destination[PayloadOffset..]);
        return FrameSigned(destination, innerLength, now);
    }

    /// <summary>Writes the final signed message with an empty payload, which ends the input.</summary>
    public int FrameEndOfInput(DateTimeOffset now, Span<byte> destination) => FrameSigned(destination, 0, now);

    public void Dispose() => chain.Dispose();

    private int FrameSigned(Span<byte> destination, int payloadLength, DateTimeOffset now)
    {
        var length = PayloadOffset + payloadLength + EventStreamEncoding.TrailerLength;
        var message = destination[..length];
        var headers = message[EventStreamEncoding.PreludeLength..PayloadOffset];

        var dateHeader = headers[..EventSignatureChain.DateHeaderLength];
        EventSignatureChain.WriteDateHeader(now, dateHeader);

        var at = EventSignatureChain.DateHeaderLength;
        at += EventStreamEncoding.WriteHeaderName(SignatureHeaderName, BytesHeader, headers[at..]);
        headers[at++] = 0;
        headers[at++] = EventSignatureChain.SignatureLength;
        chain.Sign(now, dateHeader, message.Slice(PayloadOffset, payloadLength), headers[at..]);

        EventStreamEncoding.Finish(message, OuterHeadersLength);
        return length;
    }
}
