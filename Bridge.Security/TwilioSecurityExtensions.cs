using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Bridge.Security;
using Bridge.Security.Refusals;

namespace Microsoft.AspNetCore.Builder;

public static class TwilioSecurityExtensions
{
    /// <summary>
    /// Binds and validates (at start) the <c>Twilio</c> and <c>Bridge</c> sections, and registers the signature
    /// validator, the public URL and the stream token that both services use. Outside Development the public URL
    /// (https) and a real auth token are required.
    /// </summary>
    public static TBuilder AddTwilioSecurity<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var outsideDevelopment = new OutsideDevelopmentRules(builder.Environment);
        builder.Services.AddSingleton<IValidateOptions<TwilioOptions>>(outsideDevelopment);
        builder.Services.AddSingleton<IValidateOptions<PublicEndpointOptions>>(outsideDevelopment);
        builder.Services.AddOptions<TwilioOptions>()
            .Bind(builder.Configuration.GetSection(TwilioOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<PublicEndpointOptions>()
            .Bind(builder.Configuration.GetSection(PublicEndpointOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<RequestRefusals>();
        builder.Services.AddSingleton(sp => new TwilioSignatureValidator(sp.GetRequiredService<IOptions<TwilioOptions>>().Value.AuthToken));
        builder.Services.AddSingleton(sp => new PublicUrl(sp.GetRequiredService<IOptions<PublicEndpointOptions>>().Value.PublicBaseUrl));
        builder.Services.AddSingleton(sp => new StreamToken(
            sp.GetRequiredService<IOptions<TwilioOptions>>().Value.AuthToken,
            sp.GetRequiredService<TimeProvider>()));

        builder.Services.AddOptions<ForwardedHeadersOptions>()
            .Configure<IOptions<PublicEndpointOptions>>((forwarded, endpoint) =>
            {
                forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
                foreach (var proxy in endpoint.Value.TrustedProxies)
                {
                    if (TrustedProxyList.TryParse(proxy, out var network))
                    {
                        forwarded.KnownIPNetworks.Add(network);
                    }
                }
            });

        return builder;
    }

    /// <summary>Believes X-Forwarded-* only from loopback and the configured trusted proxies.</summary>
    public static WebApplication UseTrustedForwardedHeaders(this WebApplication app)
    {
        app.UseForwardedHeaders();
        return app;
    }
}
