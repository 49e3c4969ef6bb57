/**
 * One simulated container: its state as containerd would report it (waiting, running,
 * terminated, the last termination), its restart count, and the kubelet events of starting and
 * stopping it. Pure bookkeeping; `PodRuntime` decides when things happen.
 */
import type { KubeletTiming } from './kubelet-options.js';
import { newContainerId, presentMessage, pulledMessage } from './images.js';

/** The container spec fields the simulator reads. */
export interface ContainerSpecLike {
  name: string;
  image?: string;
  imagePullPolicy?: string;
  restartPolicy?: string;
  readinessProbe?: { initialDelaySeconds?: number };
}

/** A finished run of a container. */
export interface Terminated {
  exitCode: number;
  reason: string;
  startedAt: number;
  finishedAt: number;
  containerID: string;
}

/** A regular init container, a restartable init container (sidecar), or an app container. */
export type ContainerKind = 'init' | 'sidecar' | 'main';

/** An event about a container (or the pod when `container` is undefined). */
export interface RuntimeEvent {
  container?: ContainerRun;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** What starting a container needs from the kubelet around it. */
export interface StartContext {
  timing: KubeletTiming;
  random: () => number;
  /** Kubernetes minor version (event texts changed in 1.32). */
  minor: number;
  emit(event: RuntimeEvent): void;
  imagePresent(image: string): boolean;
  markImagePresent(image: string): void;
}

/** Mutable state of one container of a pod. */
export class ContainerRun {
  state: 'waiting' | 'running' | 'terminated' = 'waiting';
  waitingReason: string;
  waitingMessage: string | undefined;
  containerID: string | undefined;
  startedAt: number | undefined;
  terminated: Terminated | undefined;
  last: Terminated | undefined;
  restartCount = 0;
  /** When the image pull began (for the Pulled event's duration), if a pull is under way. */
  pullingSince: number | undefined;

  constructor(
    readonly spec: ContainerSpecLike,
    readonly kind: ContainerKind,
    waitingReason: string,
  ) {
    this.waitingReason = waitingReason;
  }

  get name(): string {
    return this.spec.name;
  }

  get image(): string {
    return this.spec.image ?? '';
  }

  /**
   * When the running container turns Ready: `readinessDelayMs` after its start, jittered by
   * ±50 %, and no earlier than its readinessProbe's initialDelaySeconds.
   */
  readyAt: number | undefined;

  /** Emits `Pulling` now if this start will pull the image. */
  beginPull(at: number, ctx: StartContext): void {
    if (!this.#needsPull(ctx)) return;
    this.pullingSince = at;
    ctx.emit({
      container: this,
      type: 'Normal',
      reason: 'Pulling',
      message: `Pulling image "${this.image}"`,
    });
  }

  /** Starts the container at `at`: pull/created/started events, a fresh container ID. */
  start(at: number, ctx: StartContext): void {
    if (this.#needsPull(ctx)) {
      if (this.pullingSince === undefined) this.beginPull(at, ctx);
      const since = this.pullingSince ?? at;
      // A pull that began with this start still took time: 100–900 ms of layers already cached.
      const pullMs = at > since ? Math.round((at - since) * 0.8) : 100 + Math.floor(ctx.random() * 800);
      ctx.emit({
        container: this,
        type: 'Normal',
        reason: 'Pulled',
        message: pulledMessage(this.image, pullMs),
      });
      ctx.markImagePresent(this.image);
    } else {
      ctx.emit({ container: this, type: 'Normal', reason: 'Pulled', message: presentMessage(this.image) });
    }
    this.pullingSince = undefined;
    const created = ctx.minor >= 32 ? `Created container: ${this.name}` : `Created container ${this.name}`;
    ctx.emit({ container: this, type: 'Normal', reason: 'Created', message: created });
    ctx.emit({
      container: this,
      type: 'Normal',
      reason: 'Started',
      message: `Started container ${this.name}`,
    });
    this.state = 'running';
    this.containerID = newContainerId();
    this.startedAt = at;
    const jittered = Math.round(ctx.timing.readinessDelayMs * (0.5 + ctx.random()));
    const probeDelay = (this.spec.readinessProbe?.initialDelaySeconds ?? 0) * 1000;
    this.readyAt = at + Math.max(jittered, probeDelay);
    this.terminated = undefined;
    this.waitingMessage = undefined;
  }

  /** The running container exits at `at` with `exitCode`. */
  exit(at: number, exitCode: number): void {
    if (this.state !== 'running') return;
    this.state = 'terminated';
    this.terminated = {
      exitCode,
      reason: exitCode === 0 ? 'Completed' : 'Error',
      startedAt: this.startedAt ?? at,
      finishedAt: at,
      containerID: this.containerID ?? '',
    };
  }

  /** After an exit: remember the run as `lastState`, count the restart, wait in `reason`. */
  prepareRestart(reason: string, message?: string): void {
    if (this.terminated) this.last = this.terminated;
    this.terminated = undefined;
    this.restartCount++;
    this.state = 'waiting';
    this.waitingReason = reason;
    this.waitingMessage = message;
  }

  #needsPull(ctx: StartContext): boolean {
    const policy = this.spec.imagePullPolicy ?? defaultPullPolicy(this.image);
    if (policy === 'Always') return true;
    if (policy === 'Never') return false;
    return !ctx.imagePresent(this.image);
  }
}

/** Kubernetes' default pull policy: Always for `:latest` or untagged images, else IfNotPresent. */
export function defaultPullPolicy(image: string): string {
  const last = image.slice(image.lastIndexOf('/') + 1);
  if (image.includes('@')) return 'IfNotPresent';
  const colon = last.indexOf(':');
  return colon < 0 || last.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}
