/**
 * The simulated container runtime of one pod: sandbox creation (pod IP), init containers in
 * order, then the app containers, which run forever, run to completion, or crash and restart
 * with kubelet's back-off (first restart at once, then 10 s doubling to 5 min), as
 * `src/simulator/conventions.ts` asks. Time only moves through `advance(now)`, which applies
 * every transition due by `now` at the time it was due, so a kubelet that was down catches up.
 */
import type { KubeObject } from '../../api/meta.js';
import { podBehavior, podRunSeconds } from '../conventions.js';
import { ContainerRun } from './container-run.js';
import type { ContainerSpecLike, RuntimeEvent, StartContext } from './container-run.js';
import { goDuration } from './images.js';
import type { KubeletTiming } from './kubelet-options.js';

/** The pod spec fields the simulator reads. */
export interface PodSpecLike {
  nodeName?: string;
  containers?: ContainerSpecLike[];
  initContainers?: ContainerSpecLike[];
  restartPolicy?: string;
  terminationGracePeriodSeconds?: number;
}

/** What the runtime needs from the kubelet besides starting containers. */
export interface RuntimeContext extends StartContext {
  /** A pod IP from the node's range, or undefined when it is exhausted. */
  allocateIp(): string | undefined;
  /** The node's range as CNI names it in errors. */
  ipRange: string;
}

/** How the app containers of a pod end. */
interface ExitPlan {
  /** Run time before exiting; undefined = runs until stopped. */
  runMs: number | undefined;
  exitCode: number;
  restartPolicy: string;
  neverReady: boolean;
}

/** `status.phase` of a pod this kubelet runs. */
export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';
type Stage = 'creating' | 'initializing' | 'running' | 'backoff' | 'done';

/** Runtime state of one pod on a simulated node. */
export class PodRuntime {
  readonly uid: string;
  readonly node: string;
  readonly podRef: string;
  readonly init: ContainerRun[];
  readonly main: ContainerRun[];
  readonly plan: ExitPlan;
  stage: Stage = 'creating';
  ip: string | undefined;
  /** When the next transition is due; undefined when nothing is scheduled. */
  nextAt: number | undefined;
  /** Set while a graceful deletion stops the containers: when they are all stopped. */
  stoppingUntil: number | undefined;
  /**
   * The resourceVersion this kubelet's last status write produced, and what it sent when the
   * server stored something else.
   */
  written: { rv: string; sent?: Record<string, unknown> } | undefined;
  /** True once `ip` went back to the node's pool. */
  ipReleased = false;
  #initIndex = 0;
  #failures = 0;
  #sandboxError = false;

  constructor(
    pod: KubeObject,
    readonly startTime: number,
    timing: KubeletTiming,
  ) {
    const spec = (pod['spec'] ?? {}) as PodSpecLike;
    this.uid = pod.metadata.uid ?? '';
    this.node = spec.nodeName ?? '';
    this.podRef = `${pod.metadata.name ?? ''}_${pod.metadata.namespace ?? ''}(${this.uid})`;
    const inits = spec.initContainers ?? [];
    this.init = inits.map(
      (c) => new ContainerRun(c, c.restartPolicy === 'Always' ? 'sidecar' : 'init', 'PodInitializing'),
    );
    const waiting = inits.length > 0 ? 'PodInitializing' : 'ContainerCreating';
    this.main = (spec.containers ?? []).map((c) => new ContainerRun(c, 'main', waiting));
    this.plan = exitPlan(pod, spec, timing);
  }

  get phase(): PodPhase {
    if (this.stage === 'creating' || this.stage === 'initializing') return 'Pending';
    if (this.stage !== 'done') return 'Running';
    const failed = this.main.some((c) => c.state !== 'terminated' || (c.terminated?.exitCode ?? 1) !== 0);
    return failed ? 'Failed' : 'Succeeded';
  }

  /** True once the sandbox exists with its network (until the pod is finished). */
  get sandboxReady(): boolean {
    return this.ip !== undefined && this.stage !== 'creating' && this.stage !== 'done';
  }

  /** The kubelet saw the pod at `now`: the sandbox and first images are on their way. */
  begin(now: number, ctx: RuntimeContext): void {
    const start = ctx.timing.podStartMs;
    const [min, max] = typeof start === 'number' ? [start, start] : start;
    this.nextAt = now + min + Math.floor(ctx.random() * (max - min));
    const first = this.init.length > 0 ? this.init.slice(0, 1) : this.main;
    for (const c of first) c.beginPull(now, ctx);
  }

  /** Applies every transition due by `now`. */
  advance(now: number, ctx: RuntimeContext): void {
    for (let guard = 0; guard < 10_000 && this.nextAt !== undefined && this.nextAt <= now; guard++) {
      const at = this.nextAt;
      this.nextAt = undefined;
      this.#step(at, ctx);
    }
  }

  /** The earliest time after `now` when the status changes (a transition or a readiness flip). */
  wakeAt(now: number): number | undefined {
    let at = this.stoppingUntil ?? this.nextAt;
    for (const c of [...this.init, ...this.main]) {
      const ready = c.readyAt;
      if (c.state !== 'running' || ready === undefined) continue;
      if (ready > now && (at === undefined || ready < at)) at = ready;
    }
    return at;
  }

  /** Whether container `c` is ready at `now`. */
  ready(c: ContainerRun, now: number): boolean {
    if (c.kind === 'init') return c.state === 'terminated' && c.terminated?.exitCode === 0;
    if (c.state !== 'running' || c.readyAt === undefined || this.plan.neverReady) return false;
    return now >= c.readyAt;
  }

  /** Graceful deletion: kill the containers, which are stopped `delayMs` later. */
  stop(now: number, delayMs: number, emit: (e: RuntimeEvent) => void): void {
    if (this.stoppingUntil !== undefined || this.stage === 'done') return;
    for (const c of [...this.main, ...this.init]) {
      if (c.state === 'running')
        emit({ container: c, type: 'Normal', reason: 'Killing', message: `Stopping container ${c.name}` });
    }
    this.nextAt = undefined;
    this.stoppingUntil = now + delayMs;
  }

  /** The stop has finished: every running container exited 0 at `stoppingUntil`. */
  finishStop(): void {
    const at = this.stoppingUntil ?? 0;
    for (const c of [...this.main, ...this.init]) c.exit(at, 0);
    this.stage = 'done';
  }

  #step(at: number, ctx: RuntimeContext): void {
    switch (this.stage) {
      case 'creating':
        this.#createSandbox(at, ctx);
        break;
      case 'initializing':
        this.init[this.#initIndex]?.exit(at, 0);
        this.#initIndex++;
        this.#startNextInit(at, ctx);
        break;
      case 'running':
        this.#exitMain(at, ctx);
        break;
      case 'backoff':
        this.#startMain(at, ctx);
        break;
      case 'done':
        break;
    }
  }

  #createSandbox(at: number, ctx: RuntimeContext): void {
    this.ip = ctx.allocateIp();
    if (this.ip === undefined) {
      if (!this.#sandboxError) {
        const message = `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox: plugin type="bridge" failed (add): failed to allocate for range 0: no IP addresses available in range set: ${ctx.ipRange}`;
        ctx.emit({ type: 'Warning', reason: 'FailedCreatePodSandBox', message });
      }
      this.#sandboxError = true;
      this.nextAt = at + 5000;
      return;
    }
    this.stage = 'initializing';
    this.#startNextInit(at, ctx);
  }

  /** Starts init containers in order; sidecars keep running and do not hold the next one back. */
  #startNextInit(at: number, ctx: RuntimeContext): void {
    for (;;) {
      const c = this.init[this.#initIndex];
      if (!c) {
        this.#startMain(at, ctx);
        return;
      }
      c.start(at, ctx);
      if (c.kind === 'init') {
        this.nextAt = at + ctx.timing.initContainerRunMs;
        return;
      }
      this.#initIndex++;
    }
  }

  #startMain(at: number, ctx: RuntimeContext): void {
    for (const c of this.main) c.start(at, ctx);
    this.stage = 'running';
    this.nextAt = this.plan.runMs === undefined ? undefined : at + this.plan.runMs;
  }

  #exitMain(at: number, ctx: RuntimeContext): void {
    const code = this.plan.exitCode;
    for (const c of this.main) c.exit(at, code);
    const policy = this.plan.restartPolicy;
    const restart = policy === 'Always' || (policy === 'OnFailure' && code !== 0);
    if (!restart) {
      for (const c of this.init) if (c.kind === 'sidecar') c.exit(at, 0);
      this.stage = 'done';
      return;
    }
    this.#failures++;
    // Kubelet restarts the first time at once, then backs off 10 s, 20 s, … up to 5 min.
    const waitMs =
      this.#failures === 1
        ? 0
        : Math.min(ctx.timing.backoffMaxMs, ctx.timing.backoffBaseMs * 2 ** (this.#failures - 2));
    for (const c of this.main) {
      const message = `back-off ${goDuration(waitMs)} restarting failed container=${c.name} pod=${this.podRef}`;
      c.prepareRestart('CrashLoopBackOff', message);
    }
    if (waitMs === 0) {
      this.#startMain(at, ctx);
      return;
    }
    for (const c of this.main) {
      const message = `Back-off restarting failed container ${c.name} in pod ${this.podRef}`;
      ctx.emit({ container: c, type: 'Warning', reason: 'BackOff', message });
    }
    this.stage = 'backoff';
    this.nextAt = at + waitMs;
  }
}

function exitPlan(pod: KubeObject, spec: PodSpecLike, timing: KubeletTiming): ExitPlan {
  const behavior = podBehavior(pod);
  const restartPolicy = spec.restartPolicy ?? 'Always';
  const toCompletion = restartPolicy === 'Never' || restartPolicy === 'OnFailure';
  const neverReady = behavior === 'never-ready' || behavior === 'crash-loop';
  if (behavior === 'crash-loop') return { runMs: timing.crashRunMs, exitCode: 1, restartPolicy, neverReady };
  if (!toCompletion) return { runMs: undefined, exitCode: 0, restartPolicy, neverReady };
  const seconds = podRunSeconds(pod) ?? timing.jobRunSeconds;
  return { runMs: seconds * 1000, exitCode: behavior === 'fail' ? 1 : 0, restartPolicy, neverReady };
}
