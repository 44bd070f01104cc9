# The remote agent as a container (docker-compose.yml "agent" service). Build context: the repository root.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/ArcBridgeDashboard.Agent -c Release -r linux-x64 --self-contained false -o /app

FROM mcr.microsoft.com/dotnet/runtime:10.0 AS final
WORKDIR /app
COPY --from=build /app .
RUN useradd --system --uid 10001 --home-dir /var/lib/arcbridge-agent --create-home arcbridge
USER arcbridge
# glibc gives each thread that finds the heap busy its own arena; OpenSSL allocates from whichever thread-pool thread runs a probe.
ENV MALLOC_ARENA_MAX=2
VOLUME /var/lib/arcbridge-agent
ENTRYPOINT ["dotnet", "/app/arcbridge-agent.dll", "run", "--state-dir", "/var/lib/arcbridge-agent"]
