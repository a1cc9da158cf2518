using Bridge.Softphone;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddSoftphone();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(15) });
app.MapSoftphone();
app.MapAgents();

return app.RunOrReportBadConfiguration();
