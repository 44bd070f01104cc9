# ArcBridge Dashboard: build and publish with the SDK, run on the ASP.NET runtime as the non-root "app" user.
# Build from the repository root:  docker build -t arcbridge-dashboard .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first (cached until a project file or the central package versions change).
COPY Directory.Build.props Directory.Packages.props ./
COPY src/ArcBridgeDashboard.Probes/ArcBridgeDashboard.Probes.csproj src/ArcBridgeDashboard.Probes/
COPY src/ArcBridgeDashboard.Web/ArcBridgeDashboard.Web.csproj src/ArcBridgeDashboard.Web/
RUN dotnet restore src/ArcBridgeDashboard.Web/ArcBridgeDashboard.Web.csproj
# The web project's wwwroot is a symlink to the top-level wwwroot/: copy both.
COPY wwwroot/ wwwroot/
COPY src/ArcBridgeDashboard.Probes/ src/ArcBridgeDashboard.Probes/
COPY src/ArcBridgeDashboard.Web/ src/ArcBridgeDashboard.Web/
RUN dotnet publish src/ArcBridgeDashboard.Web/ArcBridgeDashboard.Web.csproj -c Release -o /app/publish --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
ENV ASPNETCORE_HTTP_PORTS=8080 \
    ArcBridge__DatabasePath=/app/data/arcbridge.db \
    ArcBridge__LogDirectory=/app/logs
# Readiness report PDFs are set in DejaVu (Reports/ReportFonts); the runtime image has no fonts of its own.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
COPY --from=build /app/publish .
# The database (and its WAL files) live in the volume; logs in their own folder. Both owned by the runtime user.
RUN mkdir -p /app/data /app/logs && chown -R app:app /app/data /app/logs
USER app
VOLUME ["/app/data"]
EXPOSE 8080
ENTRYPOINT ["dotnet", "ArcBridgeDashboard.Web.dll"]
