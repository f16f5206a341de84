/** The parts of the Node-RED API our nodes use, named once. */
import type { Node, NodeAPI, NodeDef, NodeMessage, NodeMessageInFlow, NodeStatus } from 'node-red';

export type { Node, NodeAPI, NodeDef, NodeMessage, NodeMessageInFlow, NodeStatus };

export type SendFn = (msg: NodeMessage | Array<NodeMessage | NodeMessage[] | null>) => void;
export type DoneFn = (err?: Error) => void;

/** A message as flows build it: any property may be set. */
export type FlowMessage = NodeMessageInFlow & Record<string, unknown>;

/**
 * A node's constructor as `RED.nodes.registerType` takes it. Our constructors declare the node's own fields on
 * `this`, which the runtime's typings do not know, hence one cast to this type at each registration.
 */
export type NodeConstructor = Parameters<NodeAPI['nodes']['registerType']>[1];

/** An editor (admin) route's request and response: Node-RED's admin API is an Express application. */
export type { Request as AdminRequest, Response as AdminResponse, NextFunction as AdminNext } from 'express';

/** A listener as an EventEmitter takes it. */
export type Listener = Parameters<import('node:events').EventEmitter['on']>[1];
