// Copies Leaflet, the Natural Earth country outlines (world-atlas, converted from TopoJSON to GeoJSON) and the
// DejaVu fonts into ../wwwroot/lib, so the map works with no internet. Run by CityPairs.Web.csproj before a build.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { feature } from 'topojson-client';

const here = dirname(fileURLToPath(import.meta.url));
const lib = join(here, '..', 'wwwroot', 'lib');
const leaflet = join(here, 'node_modules', 'leaflet', 'dist');

mkdirSync(join(lib, 'leaflet'), { recursive: true });
for (const file of ['leaflet-src.esm.js', 'leaflet.css', 'LICENSE']) {
  cpSync(join(file === 'LICENSE' ? join(leaflet, '..') : leaflet, file), join(lib, 'leaflet', file));
}
cpSync(join(leaflet, 'images'), join(lib, 'leaflet', 'images'), { recursive: true });

// 1:110m is enough for a portfolio overview and keeps the file small.
const topology = JSON.parse(readFileSync(join(here, 'node_modules', 'world-atlas', 'countries-110m.json'), 'utf8'));
const countries = feature(topology, topology.objects.countries);
mkdirSync(join(lib, 'world-atlas'), { recursive: true });
writeFileSync(join(lib, 'world-atlas', 'countries-110m.geojson'), JSON.stringify(countries));
cpSync(join(here, 'node_modules', 'world-atlas', 'LICENSE'), join(lib, 'world-atlas', 'LICENSE'));

// DejaVu Sans (Bitstream Vera licence) for the PDF summaries: embedded into the assembly by the csproj, so a
// PDF renders accents and other scripts ("São Paulo", "Kraków", "Москва") on a machine without fonts.
const dejavu = join(here, 'node_modules', 'dejavu-fonts-ttf');
mkdirSync(join(lib, 'dejavu'), { recursive: true });
for (const file of ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf']) {
  cpSync(join(dejavu, 'ttf', file), join(lib, 'dejavu', file));
}
cpSync(join(dejavu, 'LICENSE'), join(lib, 'dejavu', 'LICENSE'));
console.log(`web assets written to ${lib}`);
