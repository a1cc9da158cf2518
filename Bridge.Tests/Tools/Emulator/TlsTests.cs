using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Bridge.Emulator;

namespace Bridge.Tests.Tools.Emulator;

/// <summary>With a certificate the emulator speaks HTTP/2 over TLS, as Bedrock does.</summary>
public sealed class TlsTests
{
    [Fact]
    public async Task With_a_certificate_a_stream_runs_over_https_with_http2()
    {
        var certificatePath = Path.Combine(Path.GetTempPath(), $"emulator-{Guid.NewGuid():N}.pfx");
        using (var key = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            await File.WriteAllBytesAsync(certificatePath, certificate.Export(X509ContentType.Pfx, "test"));
        }

        try
        {
            await using var emulator = await EmulatorServer.StartAsync(TestEmulator.FastOptions(o =>
            {
                o.TlsCertificatePath = certificatePath;
                o.TlsCertificatePassword = "test";
            }));
            var handler = new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true } };
            await using var stream = await TestStream.OpenAsync(emulator, handler: handler);
            await stream.SendAllAsync(TestEvents.Opening(16000));
            await stream.SendAllAsync(TestEvents.InteractiveText("greeting-1", "Greet the caller."));

            Assert.Equal("https", emulator.BaseAddress.Scheme);
            Assert.Equal(new Version(2, 0), stream.Response.Version);
            Assert.Equal("completionStart", (await stream.ReadAsync())!.EventName);
        }
        finally
        {
            File.Delete(certificatePath);
        }
    }
}
