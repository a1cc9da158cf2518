using System.Security.Cryptography;
using Bridge.MediaWorker.WebSockets;

namespace Bridge.Tests.MediaWorker.WebSockets;

public sealed class WebSocketFrameScannerTests
{
    /// <summary>A client frame as RFC 6455 §5.2 lays it out: FIN and opcode, the mask bit and length (7, 16 or 64 bits), the mask, the payload.</summary>
    private static byte[] Frame(byte opcode, int payloadLength)
    {
        var header = new List<byte> { (byte)(0x80 | opcode) };
        if (payloadLength < 126)
        {
            header.Add((byte)(0x80 | payloadLength));
        }
        else if (payloadLength <= ushort.MaxValue)
        {
            header.AddRange([0x80 | 126, (byte)(payloadLength >> 8), (byte)payloadLength]);
        }
        else
        {
            header.Add(0x80 | 127);
            for (var shift = 56; shift >= 0; shift -= 8)
            {
                header.Add((byte)((long)payloadLength >> shift));
            }
        }
        header.AddRange(RandomNumberGenerator.GetBytes(4));
        // A payload full of bytes that look like frame headers: the scanner must skip it, not read it.
        header.AddRange(Enumerable.Repeat((byte)0x89, payloadLength));
        return [.. header];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4096)]
    public void Control_frames_are_counted_among_data_frames_of_every_length_however_the_bytes_are_split(int pieceSize)
    {
        byte[] stream = [.. Frame(0x1, 300), .. Frame(0x9, 5), .. Frame(0x1, 70_000), .. Frame(0xA, 0), .. Frame(0x2, 125), .. Frame(0x0, 126), .. Frame(0x9, 125), .. Frame(0x8, 2)];
        var scanner = new WebSocketFrameScanner();

        var controlFrames = 0;
        for (var offset = 0; offset < stream.Length; offset += pieceSize)
        {
            controlFrames += scanner.Scan(stream.AsSpan(offset, Math.Min(pieceSize, stream.Length - offset)), out _);
        }

        Assert.Equal(4, controlFrames);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4096)]
    public void The_pieces_of_a_fragmented_message_are_counted_and_whole_messages_are_not(int pieceSize)
    {
        var first = Frame(0x1, 10);
        first[0] = 0x01; // FIN clear: the first piece of a text message
        var middle = Frame(0x0, 0);
        middle[0] = 0x00; // an empty continuation, not final
        var ping = Frame(0x9, 0);
        var last = Frame(0x0, 300); // the final continuation
        byte[] stream = [.. Frame(0x1, 300), .. first, .. middle, .. ping, .. middle, .. last, .. Frame(0x1, 70_000)];
        var scanner = new WebSocketFrameScanner();

        int controlFrames = 0, fragments = 0;
        for (var offset = 0; offset < stream.Length; offset += pieceSize)
        {
            controlFrames += scanner.Scan(stream.AsSpan(offset, Math.Min(pieceSize, stream.Length - offset)), out var more);
            fragments += more;
        }

        Assert.Equal((1, 4), (controlFrames, fragments));
    }
}
