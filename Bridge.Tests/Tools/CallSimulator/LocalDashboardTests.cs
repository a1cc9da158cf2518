using Bridge.CallSimulator.Cli;
using OpenTelemetry.Exporter;

namespace Bridge.Tests.Tools.CallSimulator;

public sealed class LocalDashboardTests : IDisposable
{
    private static readonly Uri LocalWebhook = new("http://localhost:5080/webhook");
    private readonly string _secrets = Path.GetTempFileName();

    [Fact]
    public void A_local_call_exports_to_the_local_dashboard_with_the_key_the_apphost_keeps()
    {
        File.WriteAllText(_secrets, """{ "Parameters:twilio-auth-token": "t", "AppHost:OtlpApiKey": "0123abcd" }""");

        var otlp = Apply(LocalDashboard.ExportSettings(LocalWebhook, _ => null, _secrets));

        Assert.Equal(new Uri("http://localhost:19180"), otlp.Endpoint);
        Assert.Equal(OtlpExportProtocol.Grpc, otlp.Protocol);
        Assert.Equal("x-otlp-api-key=0123abcd", otlp.Headers);
    }

    [Fact]
    public void The_otlp_variables_win_and_are_left_to_the_sdk()
    {
        File.WriteAllText(_secrets, """{ "AppHost:OtlpApiKey": "0123abcd" }""");

        var otlp = Apply(LocalDashboard.ExportSettings(LocalWebhook, name => name == "OTEL_EXPORTER_OTLP_ENDPOINT" ? "http://collector:4317" : null, _secrets));

        Assert.Null(otlp.Headers);
    }

    [Fact]
    public void Nothing_is_exported_without_a_local_apphost_or_for_a_bridge_elsewhere()
    {
        Assert.Null(LocalDashboard.ExportSettings(LocalWebhook, _ => null, _secrets));

        File.WriteAllText(_secrets, """{ "AppHost:OtlpApiKey": "0123abcd" }""");
        Assert.Null(LocalDashboard.ExportSettings(new Uri("https://voice.example.com/webhook"), _ => null, _secrets));
    }

    private static OtlpExporterOptions Apply(Action<OtlpExporterOptions>? settings)
    {
        Assert.NotNull(settings);
        var options = new OtlpExporterOptions();
        settings(options);
        return options;
    }

    public void Dispose() => File.Delete(_secrets);
}
