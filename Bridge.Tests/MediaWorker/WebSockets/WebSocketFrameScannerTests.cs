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
            controlFrames += scanner.Scan(stream.AsSpan(offset, Math.Min(pieceSize, stream.Length - offset)));
        }

        Assert.Equal(4, controlFrames);
    }
}
