using Parley.Server;
using Parley.Signaling;
using Parley.Signaling.Rest;
using Parley.Signaling.Media;
using Parley.Signaling.Rpc;
using Parley.Sfu;
using Microsoft.Extensions.Options;
using Parley.WebRtc;
using Parley.StunServer;
using Parley.Turn;

// Content (appsettings.json, the web client in wwwroot) is read from beside the executable, wherever it is started from.
WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
OpenViduEnvironment.MapOpenViduNames(builder.Configuration);
OpenViduEnvironment.RefuseDefaultSecretOffLoopback(builder.Configuration);

TurnSettingAliases.Map(builder.Configuration);
builder.Services.Configure<StunServerOptions>(builder.Configuration.GetSection(StunServerOptions.SectionName));
builder.Services.Configure<TurnServerOptions>(builder.Configuration.GetSection(TurnServerOptions.SectionName));
builder.Services.AddSingleton<StunHostedService>();
builder.Services.AddHostedService(services => services.GetRequiredService<StunHostedService>());
builder.Services.Configure<SignalingOptions>(builder.Configuration.GetSection(SignalingOptions.SectionName));
builder.Services.AddSingleton<IIceServerProvider, OwnIceServerProvider>();
builder.Services.Configure<WebRtcServerOptions>(builder.Configuration.GetSection(WebRtcServerOptions.SectionName));
builder.Services.AddSingleton(services => WebRtcServer.Start(services.GetRequiredService<IOptions<WebRtcServerOptions>>().Value,
    services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ILoggerFactory>()));
builder.Services.AddHostedService<WebRtcHostedService>();
builder.Services.AddSingleton<SfuServer>();
builder.Services.AddSingleton<IMediaServer, SfuMediaServer>();
builder.Services.AddOpenViduSignaling();

WebApplication app = builder.Build();
app.UseStatusCodePages(context => ProblemResponses.WriteAsync(context.HttpContext));
app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });

// The bundled web client (web/, built into wwwroot).
app.UseDefaultFiles();
app.UseStaticFiles();

// Liveness, as OpenVidu Pro's GET /openvidu/api/health answers it.
app.MapGet("/health", () => Results.Json(new { status = "UP" }));
app.MapOpenViduRestApi();
app.MapMetrics();
if (builder.Configuration.GetValue("Parley:DemoApplication", true))
{
    app.MapDemoApplication();
}
app.MapOpenViduWebSocket();

app.Run();

/// <summary>The entry point, visible to tests that host the application.</summary>
public partial class Program;
