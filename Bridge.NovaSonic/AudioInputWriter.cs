using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Text;

namespace Bridge.NovaSonic;

/// <summary>
/// Writes the <c>audioInput</c> event for one buffer of PCM straight into a span: the names never change within a
/// content, so the JSON around the base64 is prepared once. 30 events a second per call, nothing allocated.
/// </summary>
internal sealed class AudioInputWriter
{
    private static ReadOnlySpan<byte> Suffix => "\"}}}"u8;
    private readonly byte[] _prefix;

    public AudioInputWriter(string promptName, string contentName)
    {
        // Our own names: letters, digits and dashes, so nothing needs escaping.
        _prefix = Encoding.UTF8.GetBytes($"{{\"event\":{{\"audioInput\":{{\"promptName\":\"{promptName}\",\"contentName\":\"{contentName}\",\"content\":\"");
    }

    public int MaxLength(int sampleCount) => _prefix.Length + Base64.GetMaxEncodedToUtf8Length(sampleCount * sizeof(short)) + Suffix.Length;

    /// <summary>Writes the event for little-endian PCM16 mono samples; returns its length.</summary>
    public int Write(ReadOnlySpan<short> samples, Span<byte> destination)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("PCM is sent little-endian as the host's memory order.");
        }
        _prefix.CopyTo(destination);
        Base64.EncodeToUtf8(MemoryMarshal.AsBytes(samples), destination[_prefix.Length..], out _, out var written);
        var end = _prefix.Length + written;
        Suffix.CopyTo(destination[end..]);
        return end + Suffix.Length;
    }
}
