var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseTrustedForwardedHeaders();
app.UseClientRateLimits();
app.UseReadinessLifecycle();
app.MapDefaultEndpoints();
app.MapWebhookApi();
app.MapOutboundWebhooks();
app.MapOutboundCallApi();

return app.RunOrReportBadConfiguration();
