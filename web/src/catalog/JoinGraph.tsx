/**
 * The join graph drawn by cytoscape, loaded on demand (dynamic import) so the main bundle stays
 * small. Tables are nodes coloured by product, join keys are edge labels; wheel zooms, drag pans.
 */
import type { Core } from 'cytoscape';
import { useEffect, useRef } from 'react';
import { productColours, unknownColour } from './colours.ts';
import { edgeLabel } from './text.ts';
import type { Graph } from './types.ts';

const MAX_FIT_ZOOM = 1.6;

export interface JoinGraphProps {
  graph: Graph;
  selectedEdge: string | null;
  onNode: (id: string) => void;
  onEdge: (id: string | null) => void;
  label: string;
}

export function JoinGraph({ graph, selectedEdge, onNode, onEdge, label }: JoinGraphProps) {
  const container = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | null>(null);
  // The handlers change each render; the graph is built once per data set.
  const handlers = useRef({ onNode, onEdge, selectedEdge });
  useEffect(() => {
    handlers.current = { onNode, onEdge, selectedEdge };
  });

  useEffect(() => {
    let cancelled = false;
    void import('cytoscape').then(({ default: cytoscape }) => {
      if (cancelled || !container.current) return;
      const colours = productColours(graph.nodes.filter((n) => n.known).map((n) => n.product));
      const cy = cytoscape({
        container: container.current,
        elements: [
          ...graph.nodes.map((n) => ({ group: 'nodes' as const, data: { id: n.id, label: n.id, colour: n.known ? colours[n.product] : unknownColour } })),
          ...graph.edges.map((e) => ({
            group: 'edges' as const,
            data: { id: e.id, source: e.source, target: e.target, label: edgeLabel(e.sourceFields, e.targetFields) },
          })),
        ],
        style: [
          {
            selector: 'node',
            style: { 'background-color': 'data(colour)', label: 'data(label)', color: '#161616', 'font-size': 11, 'text-valign': 'bottom', 'text-margin-y': 4, width: 22, height: 22 },
          },
          {
            selector: 'edge',
            style: {
              width: 1.5, 'line-color': '#929292', 'target-arrow-color': '#929292', 'target-arrow-shape': 'triangle', 'curve-style': 'bezier',
              label: 'data(label)', 'font-size': 10, color: '#3a3a3a', 'text-rotation': 'autorotate', 'text-background-color': '#ffffff', 'text-background-opacity': 0.8, 'text-background-padding': '1px',
            },
          },
          { selector: 'edge:selected', style: { width: 4, 'line-color': '#000091', 'target-arrow-color': '#000091', color: '#000091' } },
          { selector: 'node:selected', style: { 'border-width': 3, 'border-color': '#000091' } },
        ],
        layout: { name: 'cose', animate: false, nodeDimensionsIncludeLabels: true, nodeRepulsion: () => 40000, idealEdgeLength: () => 140, padding: 30 },
        wheelSensitivity: 0.3,
        minZoom: 0.2,
        maxZoom: 4,
      });
      cy.on('tap', 'node', (event) => handlers.current.onNode(String(event.target.id())));
      cy.on('tap', 'edge', (event) => handlers.current.onEdge(String(event.target.id())));
      cy.on('tap', (event) => {
        if (event.target === cy) handlers.current.onEdge(null);
      });
      // A small graph fitted to the box would be drawn huge: cap the first zoom.
      if (cy.zoom() > MAX_FIT_ZOOM) {
        cy.zoom(MAX_FIT_ZOOM);
        cy.center();
      }
      cyRef.current = cy;
      if (handlers.current.selectedEdge) cy.getElementById(handlers.current.selectedEdge).select();
      container.current.dataset.ready = 'true';
    });
    return () => {
      cancelled = true;
      cyRef.current?.destroy();
      cyRef.current = null;
    };
  }, [graph]);

  // Selection from outside (the list of joins) shows in the drawing too.
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.elements().unselect();
    if (selectedEdge) cy.getElementById(selectedEdge).select();
  }, [selectedEdge]);

  return <div ref={container} className="hdh-graph" role="img" aria-label={label} />;
}

