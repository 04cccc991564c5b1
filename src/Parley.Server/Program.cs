using Parley.Server;
using Parley.StunServer;

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
builder.Services.Configure<StunServerOptions>(builder.Configuration.GetSection(StunServerOptions.SectionName));
builder.Services.AddSingleton<StunHostedService>();
builder.Services.AddHostedService(services => services.GetRequiredService<StunHostedService>());

WebApplication app = builder.Build();
app.UseStatusCodePages(context => ProblemResponses.WriteAsync(context.HttpContext));

// Liveness, as OpenVidu Pro's GET /openvidu/api/health answers it.
app.MapGet("/health", () => Results.Json(new { status = "UP" }));

app.Run();

/// <summary>The entry point, visible to tests that host the application.</summary>
public partial class Program;
