using System.Text;
using Bridge.Bedrock;

namespace Bridge.Tests.Bedrock;

public sealed class GoldenResponseDecodingTests
{
    private static readonly GoldenCapture Capture = GoldenCapture.Instance;

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public void The_recorded_response_frames_decode_to_the_recorded_events_in_pieces_of_any_size(int pieceSize)
    {
        var scenario = Capture.Scenario("normal");
        var received = Decode(GoldenCapture.ResponseBytes(scenario), pieceSize, out var failure);

        Assert.Null(failure);
        Assert.Equal(GoldenCapture.ReceivedChunks(scenario), received);
    }

    [Fact]
    public void The_recorded_exception_frame_surfaces_as_a_validation_error_after_the_events_before_it()
    {
        var scenario = Capture.Scenario("exception");
        var received = Decode(GoldenCapture.ResponseBytes(scenario), 13, out var failure);

        Assert.Equal(GoldenCapture.ReceivedChunks(scenario), received);
        var validation = Assert.IsType<BedrockValidationException>(failure);
        Assert.False(validation.IsRetryable);
        Assert.Equal(scenario.GetProperty("error").GetProperty("message").GetString(), validation.ServiceMessage);
    }

    [Fact]
    public void A_corrupted_frame_is_rejected_by_its_checksum()
    {
        var bytes = GoldenCapture.ResponseBytes(Capture.Scenario("normal"));
        bytes[40] ^= 0x20;

        Assert.ThrowsAny<Exception>(() => Decode(bytes, bytes.Length, out _));
    }

    [Theory]
    [InlineData(9)]   // the prelude's checksum
    [InlineData(40)]  // a byte of the payload (the message checksum)
    [InlineData(-1)]  // the message checksum itself
    public void A_damaged_frame_is_the_sdk_checksum_failure_whatever_the_pieces(int at)
    {
        var bytes = GoldenCapture.ResponseBytes(Capture.Scenario("normal"));
        bytes[at < 0 ? bytes.Length + at : at] ^= 0x20;

        // BedrockEventStream reports this type as a retryable corrupt frame.
        Assert.Throws<Amazon.Runtime.EventStreams.EventStreamChecksumFailureException>(() => Decode(bytes, 5, out _));
        Assert.Throws<Amazon.Runtime.EventStreams.EventStreamChecksumFailureException>(() => Decode(bytes, bytes.Length, out _));
    }

    [Fact]
    public void A_length_no_message_can_have_is_a_damaged_stream()
    {
        var bytes = GoldenCapture.ResponseBytes(Capture.Scenario("normal"));
        bytes[0] = 0x7F;

        Assert.Throws<Amazon.Runtime.EventStreams.EventStreamChecksumFailureException>(() => Decode(bytes, 3, out _));
    }

    private static List<string> Decode(byte[] bytes, int pieceSize, out BedrockStreamException? failure)
    {
        var received = new List<string>();
        failure = null;
        using var decoder = new EventStreamResponseDecoder(chunk => received.Add(Encoding.UTF8.GetString(chunk.Payload.Span)));
        try
        {
            // One reused read buffer, as a network reader has.
            var readBuffer = new byte[pieceSize];
            for (var offset = 0; offset < bytes.Length; offset += pieceSize)
            {
                var count = Math.Min(pieceSize, bytes.Length - offset);
                bytes.AsSpan(offset, count).CopyTo(readBuffer);
                decoder.Process(readBuffer, count);
            }
        }
        catch (BedrockStreamException exception)
        {
            failure = exception;
        }
        return received;
    }
}
