// Draws the map and the charts from the data the generator embedded (#report-data), then writes
// what was drawn into #render-status: tests read it, and a reader can see it in the page source.
// Text from the data only ever reaches the page as text (textContent), never as markup.
(function () {
  'use strict';
  var status = window.__reportStatus;
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var CAMERA_COLOURS = ['#c0392b', '#1f6fb2', '#7d3c98', '#d68910', '#117a65', '#884e1e'];

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function latLngs(line) { return line.map(function (p) { return [p[1], p[0]]; }); }

  // Paths Leaflet actually drew (a path with an empty outline is off screen or degenerate).
  function drawnPaths(container, className) {
    return Array.prototype.filter.call(container.querySelectorAll('path.' + className), function (p) {
      var d = p.getAttribute('d');
      return d && d !== 'M0 0';
    }).length;
  }

  function legendItem(legend, colour, label, dashed) {
    var item = element('li');
    var swatch = element('span', 'swatch' + (dashed ? ' dashed' : ''));
    swatch.style.borderColor = colour;
    swatch.style.background = dashed ? 'transparent' : colour;
    item.appendChild(swatch);
    item.appendChild(document.createTextNode(label));
    legend.appendChild(item);
  }

  function drawMap() {
    var container = document.getElementById('map');
    if (!data.map || !container) return;
    var map = L.map(container, { zoomSnap: 0.25, preferCanvas: false });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution('Roads: OpenStreetMap contributors (ODbL)');
    var roads = L.polyline(data.map.roads.map(latLngs), { color: '#8c96a0', weight: 1.3, className: 'road', interactive: false }).addTo(map);
    map.fitBounds(roads.getBounds(), { padding: [10, 10] });
    var legend = document.getElementById('map-legend');
    legendItem(legend, '#8c96a0', 'Roads of the simulated network');

    var trip = data.map.trip;
    if (trip) {
      var trueLines = trip.true_route_edges ? trip.true_route_edges : [trip.true_route];
      L.polyline(trueLines.map(latLngs), { color: '#1e8449', weight: 5, opacity: 0.75, className: 'trip-true' })
        .bindTooltip(element('span', '', 'True route of trip ' + trip.id)).addTo(map);
      legendItem(legend, '#1e8449', 'Example trip ' + trip.id + ': the route it really took' +
        (typeof trip.reads === 'number' ? ' (read ' + trip.reads + ' times)' : ''));
      if (trip.inferred_route) {
        L.polyline(latLngs(trip.inferred_route), { color: '#d35400', weight: 3, dashArray: '6 4', className: 'trip-inferred' })
          .bindTooltip(element('span', '', 'Route inferred from the reads')).addTo(map);
        legendItem(legend, '#d35400', 'The route inferred from its reads' +
          (typeof trip.coverage === 'number' ? ' (covers ' + Math.round(trip.coverage * 100) + '% of the true route)' : ''), true);
      }
      var reads = Array.isArray(trip.reads) ? trip.reads : [];
      reads.forEach(function (read) {
        L.circleMarker([read.lat, read.lon], { radius: 9, color: '#1d232a', weight: 2, fill: false, className: 'trip-read' })
          .bindTooltip(element('span', '', 'Trip ' + trip.id + ' read by camera ' + read.camera)).addTo(map);
      });
      if (reads.length) legendItem(legend, '#1d232a', 'Where the example trip was read', true);
    }

    data.map.camera_sets.forEach(function (set, i) {
      var colour = CAMERA_COLOURS[i % CAMERA_COLOURS.length];
      set.cameras.forEach(function (camera) {
        L.circleMarker([camera.lat, camera.lon], { radius: 6 - Math.min(i, 3), color: '#fff', weight: 1.5, fillColor: colour, fillOpacity: 0.95, className: 'camera' })
          .bindTooltip(element('span', '', (camera.kind === 'patrol' ? 'Patrol car ' : 'Camera ') + camera.id + (camera.agency ? ' (' + camera.agency + ')' : '') + (camera.town ? ', in ' + camera.town : '') +
            (camera.kind === 'patrol' ? ': where its shift started (it reads wherever it drives)' : '')))
          .addTo(map);
      });
      legendItem(legend, colour, set.cameras.length + ' cameras of ' + set.run);
    });

    status.map = {
      roads: drawnPaths(container, 'road'),
      cameras: drawnPaths(container, 'camera'),
      trip_true: drawnPaths(container, 'trip-true'),
      trip_inferred: drawnPaths(container, 'trip-inferred'),
      trip_reads: drawnPaths(container, 'trip-read')
    };
  }

  function drawChart(chart) {
    var container = document.getElementById('chart-' + chart.id);
    var compiled = vegaLite.compile(chart.vega_lite).spec;
    var view = new vega.View(vega.parse(compiled), { renderer: 'svg', container: container, hover: true });
    return view.runAsync().then(function () {
      // Data marks only: Vega gives axes and legends their own roles.
      status.charts[chart.id] = container.querySelectorAll('g.role-mark > *').length;
      // Shaded bands (a sweep's 95% intervals) drawn, for the tests.
      status.bands[chart.id] = container.querySelectorAll('g.mark-area path').length;
    });
  }

  function finish() {
    status.resources = performance.getEntriesByType('resource').length;
    status.scripts = document.scripts.length;
    status.done = true;
    document.getElementById('render-status').textContent = JSON.stringify(status);
  }

  var drawing = [];
  try {
    drawMap();
    data.charts.filter(function (c) { return c.available; }).forEach(function (chart) {
      drawing.push(drawChart(chart).catch(function (e) { status.errors.push('chart ' + chart.id + ': ' + e); }));
    });
  } catch (e) {
    status.errors.push('report: ' + (e && e.stack || e));
  }
  Promise.all(drawing).then(finish, finish);
})();
