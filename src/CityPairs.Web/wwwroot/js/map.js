// The portfolio map: Leaflet (bundled into wwwroot/lib at build time), Natural Earth country outlines as
// the offline base layer, an optional tile layer, city markers and great-circle arcs for partnerships.
import * as L from '../lib/leaflet/leaflet-src.esm.js';

const maps = new Map();

function ensureCss() {
  if (!document.querySelector('link[data-leaflet]')) {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = 'lib/leaflet/leaflet.css';
    link.dataset.leaflet = '';
    document.head.appendChild(link);
  }
}

const rad = d => d * Math.PI / 180;
const deg = r => r * 180 / Math.PI;

// Points along the great circle from a to b ([lat, lon]), by spherical interpolation; longitudes are
// unwrapped so an arc over the antimeridian stays one continuous line.
export function greatCircle(a, b, segments = 64) {
  const [φ1, λ1, φ2, λ2] = [rad(a[0]), rad(a[1]), rad(b[0]), rad(b[1])];
  const d = 2 * Math.asin(Math.sqrt(Math.sin((φ2 - φ1) / 2) ** 2 + Math.cos(φ1) * Math.cos(φ2) * Math.sin((λ2 - λ1) / 2) ** 2));
  if (d === 0) return [a, b];
  const points = [];
  let previous = null;
  for (let i = 0; i <= segments; i++) {
    const f = i / segments;
    const A = Math.sin((1 - f) * d) / Math.sin(d);
    const B = Math.sin(f * d) / Math.sin(d);
    const x = A * Math.cos(φ1) * Math.cos(λ1) + B * Math.cos(φ2) * Math.cos(λ2);
    const y = A * Math.cos(φ1) * Math.sin(λ1) + B * Math.cos(φ2) * Math.sin(λ2);
    const z = A * Math.sin(φ1) + B * Math.sin(φ2);
    let lon = deg(Math.atan2(y, x));
    if (previous !== null) {
      while (lon - previous > 180) lon -= 360;
      while (lon - previous < -180) lon += 360;
    }
    previous = lon;
    points.push([deg(Math.atan2(z, Math.sqrt(x * x + y * y))), lon]);
  }
  return points;
}

function navigate(url) {
  if (window.Blazor?.navigateTo) window.Blazor.navigateTo(url); else window.location.assign(url);
}

export async function create(element, options) {
  // The page may be gone by the time this runs (someone navigated on): nothing to draw into.
  if (!element || !element.isConnected) return false;
  ensureCss();
  const map = L.map(element, { worldCopyJump: true, minZoom: 1, preferCanvas: false }).setView([25, 10], 2);
  if (options.tileUrl) {
    L.tileLayer(options.tileUrl, { attribution: options.tileAttribution || '', maxZoom: 18 }).addTo(map);
  } else {
    const response = await fetch(options.outlinesUrl);
    const outlines = await response.json();
    if (!element.isConnected) { map.remove(); return false; }
    L.geoJSON(outlines, {
      interactive: false,
      style: { className: 'cp-country', color: '#8aa4b8', weight: 0.6, fillColor: '#f4f1ea', fillOpacity: 1 },
    }).addTo(map);
    map.attributionControl.addAttribution('Natural Earth');
  }
  const state = { map, layer: L.layerGroup().addTo(map) };
  maps.set(element, state);
  return true;
}

export function draw(element, data) {
  const state = maps.get(element);
  if (!state) return 0;
  state.layer.clearLayers();
  const byId = new Map(data.cities.map(c => [c.id, c]));
  let arcs = 0;
  for (const p of data.partnerships) {
    const from = byId.get(p.cityIds[0]);
    for (const id of p.cityIds.slice(1)) {
      const to = byId.get(id);
      if (!from || !to) continue;
      const line = L.polyline(greatCircle([from.lat, from.lon], [to.lat, to.lon]), {
        className: 'cp-arc', color: p.colour, weight: 2.5, opacity: 0.85,
      });
      line.bindTooltip(`${p.name} · ${p.label}`, { sticky: true });
      line.on('click', () => navigate(`partnerships/${p.id}`));
      line.addTo(state.layer);
      line.getElement()?.setAttribute('data-partnership', p.id);
      arcs++;
    }
  }
  for (const c of data.cities) {
    const marker = L.circleMarker([c.lat, c.lon], {
      className: 'cp-city', radius: c.partnerships > 0 ? 6 : 4, color: '#19486A', weight: 1.5, fillColor: '#FD9D24', fillOpacity: 0.9,
    });
    marker.bindTooltip(`${c.name} (${c.countryCode})`);
    marker.on('click', () => navigate(`cities/${c.id}`));
    marker.addTo(state.layer);
    marker.getElement()?.setAttribute('data-city', c.id);
  }
  element.dataset.cities = data.cities.length;
  element.dataset.arcs = arcs;
  return arcs;
}

export function dispose(element) {
  const state = maps.get(element);
  if (state) {
    state.map.remove();
    maps.delete(element);
  }
}
