# syntax=docker/dockerfile:1

# ---- web assets (Leaflet, country outlines) from the npm registry ------------
FROM node:20-slim AS web
WORKDIR /src/src/CityPairs.Web/web
COPY src/CityPairs.Web/web/package.json src/CityPairs.Web/web/package-lock.json src/CityPairs.Web/web/build.mjs ./
RUN npm ci --no-audit --no-fund && node build.mjs

# ---- build ------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src

# Restore from the project files alone, so the NuGet layer is reused until a
# package or project reference changes. COPY with a glob would flatten the
# folders, hence one line per project.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/CityPairs.Domain/CityPairs.Domain.csproj src/CityPairs.Domain/
COPY src/CityPairs.Web/CityPairs.Web.csproj src/CityPairs.Web/
RUN dotnet restore src/CityPairs.Web/CityPairs.Web.csproj

# Only src/: the image never builds or carries the tests.
COPY src/ src/
COPY --from=web /src/src/CityPairs.Web/wwwroot/lib/ src/CityPairs.Web/wwwroot/lib/
RUN dotnet publish src/CityPairs.Web/CityPairs.Web.csproj -c Release -o /app \
        --no-restore -p:UseAppHost=false -p:SkipWebAssets=true

# ---- runtime ----------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app

# Configuration comes from environment variables only, e.g.
#   ConnectionStrings__CityPairs="Host=...;Database=...;Username=...;Password=..."
# Outside Development the app does not migrate at start: run the image once with
# the argument `migrate` (docker-compose.yml has a `migrate` service for that).
ENV ASPNETCORE_HTTP_PORTS=8080
EXPOSE 8080

# No HEALTHCHECK: the aspnet image has no curl or wget. Orchestrators should
# probe /health/live (liveness) and /health/ready (readiness, checks the DB).

COPY --from=build /app .
# The image's built-in non-root `app` user.
USER $APP_UID
ENTRYPOINT ["dotnet", "CityPairs.Web.dll"]
