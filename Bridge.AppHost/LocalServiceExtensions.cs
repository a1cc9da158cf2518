namespace Bridge.AppHost;

/// <summary>What each service resource gets when run locally (never in the published manifest).</summary>
internal static class LocalServiceExtensions
{
    private const string OtlpRetryVariable = "OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY";

    /// <summary>
    /// <para>
    /// Plain HTTP, with no HTTPS certificate: the services listen on http:// only, and Aspire, which otherwise
    /// configures each project with the ASP.NET development certificate, finds none trusted on a fresh machine
    /// and puts a red "No trusted development certificate" banner on every dashboard page.
    /// </para>
    /// <para>
    /// No retry of failed telemetry exports: the dashboard the services export to is on this machine and stops with
    /// them. Measured with a scripted Ctrl-C on an idle system: with Aspire's
    /// <c>OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY=in_memory</c>, the api and the worker retried their last export to the
    /// stopped dashboard until the exporter's 10 s timeout, and exited 10–12 s after Ctrl-C (0.03 s when run alone).
    /// </para>
    /// </summary>
#pragma warning disable ASPIRECERTIFICATES001 // WithoutHttpsCertificate is marked for evaluation; here it only keeps http-only services without a certificate.
    public static IResourceBuilder<ProjectResource> AsLocalService(this IResourceBuilder<ProjectResource> service) =>
        service.ApplicationBuilder.ExecutionContext.IsPublishMode
            ? service
            : service
                .WithoutHttpsCertificate()
                .WithEnvironment(context => context.EnvironmentVariables.Remove(OtlpRetryVariable));
#pragma warning restore ASPIRECERTIFICATES001
}
