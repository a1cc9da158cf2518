using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Bridge.Emulator.Hosting;

internal static class KestrelSetup
{
    /// <summary>
    /// The model endpoint: HTTP/2 over TLS (ALPN, HTTP/1.1 too) with a certificate; otherwise HTTP/2 cleartext only
    /// (Kestrel speaks h2c with prior knowledge only on an HTTP/2-only endpoint). With a health port, a second
    /// HTTP/1.1 endpoint for health checks, which cannot speak h2c.
    /// </summary>
    public static void ListenForEmulator(this KestrelServerOptions kestrel, EmulatorOptions options)
    {
        // A model stream idles for seconds at a time in both directions; Kestrel's minimum data rates would abort it.
        kestrel.Limits.MinRequestBodyDataRate = null;
        kestrel.Limits.MinResponseDataRate = null;
        Listen(kestrel, options.Host, options.Port, listen =>
        {
            if (options.TlsCertificatePath is { } certificate)
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(certificate, options.TlsCertificatePassword);
            }
            else
            {
                listen.Protocols = HttpProtocols.Http2;
            }
        });

        if (options.HealthPort is { } healthPort)
        {
            Listen(kestrel, options.Host, healthPort, listen => listen.Protocols = HttpProtocols.Http1);
        }
    }

    private static void Listen(KestrelServerOptions kestrel, string host, int port, Action<ListenOptions> configure)
    {
        if (host is "localhost")
        {
            kestrel.ListenLocalhost(port, configure);
        }
        else if (host is "*" or "0.0.0.0")
        {
            kestrel.ListenAnyIP(port, configure);
        }
        else
        {
            kestrel.Listen(IPAddress.Parse(host), port, configure);
        }
    }
}
