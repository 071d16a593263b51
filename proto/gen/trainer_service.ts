import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Block as _nas_v1_Block, Block__Output as _nas_v1_Block__Output } from './nas/v1/Block.ts';
import type { CancelTrial as _nas_v1_CancelTrial, CancelTrial__Output as _nas_v1_CancelTrial__Output } from './nas/v1/CancelTrial.ts';
import type { Cell as _nas_v1_Cell, Cell__Output as _nas_v1_Cell__Output } from './nas/v1/Cell.ts';
import type { CheckDatasetRequest as _nas_v1_CheckDatasetRequest, CheckDatasetRequest__Output as _nas_v1_CheckDatasetRequest__Output } from './nas/v1/CheckDatasetRequest.ts';
import type { CheckDatasetResponse as _nas_v1_CheckDatasetResponse, CheckDatasetResponse__Output as _nas_v1_CheckDatasetResponse__Output } from './nas/v1/CheckDatasetResponse.ts';
import type { EpochMetrics as _nas_v1_EpochMetrics, EpochMetrics__Output as _nas_v1_EpochMetrics__Output } from './nas/v1/EpochMetrics.ts';
import type { Genotype as _nas_v1_Genotype, Genotype__Output as _nas_v1_Genotype__Output } from './nas/v1/Genotype.ts';
import type { GetInfoRequest as _nas_v1_GetInfoRequest, GetInfoRequest__Output as _nas_v1_GetInfoRequest__Output } from './nas/v1/GetInfoRequest.ts';
import type { GetInfoResponse as _nas_v1_GetInfoResponse, GetInfoResponse__Output as _nas_v1_GetInfoResponse__Output } from './nas/v1/GetInfoResponse.ts';
import type { Latency as _nas_v1_Latency, Latency__Output as _nas_v1_Latency__Output } from './nas/v1/Latency.ts';
import type { NetworkSettings as _nas_v1_NetworkSettings, NetworkSettings__Output as _nas_v1_NetworkSettings__Output } from './nas/v1/NetworkSettings.ts';
import type { SessionRequest as _nas_v1_SessionRequest, SessionRequest__Output as _nas_v1_SessionRequest__Output } from './nas/v1/SessionRequest.ts';
import type { SessionResponse as _nas_v1_SessionResponse, SessionResponse__Output as _nas_v1_SessionResponse__Output } from './nas/v1/SessionResponse.ts';
import type { StepProgress as _nas_v1_StepProgress, StepProgress__Output as _nas_v1_StepProgress__Output } from './nas/v1/StepProgress.ts';
import type { TrainRequest as _nas_v1_TrainRequest, TrainRequest__Output as _nas_v1_TrainRequest__Output } from './nas/v1/TrainRequest.ts';
import type { TrainResponse as _nas_v1_TrainResponse, TrainResponse__Output as _nas_v1_TrainResponse__Output } from './nas/v1/TrainResponse.ts';
import type { TrainerServiceClient as _nas_v1_TrainerServiceClient, TrainerServiceDefinition as _nas_v1_TrainerServiceDefinition } from './nas/v1/TrainerService.ts';
import type { TrainingSettings as _nas_v1_TrainingSettings, TrainingSettings__Output as _nas_v1_TrainingSettings__Output } from './nas/v1/TrainingSettings.ts';
import type { TrialError as _nas_v1_TrialError, TrialError__Output as _nas_v1_TrialError__Output } from './nas/v1/TrialError.ts';
import type { TrialResult as _nas_v1_TrialResult, TrialResult__Output as _nas_v1_TrialResult__Output } from './nas/v1/TrialResult.ts';
import type { TrialStarted as _nas_v1_TrialStarted, TrialStarted__Output as _nas_v1_TrialStarted__Output } from './nas/v1/TrialStarted.ts';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  nas: {
    v1: {
      Block: MessageTypeDefinition<_nas_v1_Block, _nas_v1_Block__Output>
      CancelTrial: MessageTypeDefinition<_nas_v1_CancelTrial, _nas_v1_CancelTrial__Output>
      Cell: MessageTypeDefinition<_nas_v1_Cell, _nas_v1_Cell__Output>
      CheckDatasetRequest: MessageTypeDefinition<_nas_v1_CheckDatasetRequest, _nas_v1_CheckDatasetRequest__Output>
      CheckDatasetResponse: MessageTypeDefinition<_nas_v1_CheckDatasetResponse, _nas_v1_CheckDatasetResponse__Output>
      Combine: EnumTypeDefinition
      EpochMetrics: MessageTypeDefinition<_nas_v1_EpochMetrics, _nas_v1_EpochMetrics__Output>
      Genotype: MessageTypeDefinition<_nas_v1_Genotype, _nas_v1_Genotype__Output>
      GetInfoRequest: MessageTypeDefinition<_nas_v1_GetInfoRequest, _nas_v1_GetInfoRequest__Output>
      GetInfoResponse: MessageTypeDefinition<_nas_v1_GetInfoResponse, _nas_v1_GetInfoResponse__Output>
      Latency: MessageTypeDefinition<_nas_v1_Latency, _nas_v1_Latency__Output>
      NetworkSettings: MessageTypeDefinition<_nas_v1_NetworkSettings, _nas_v1_NetworkSettings__Output>
      Op: EnumTypeDefinition
      SessionRequest: MessageTypeDefinition<_nas_v1_SessionRequest, _nas_v1_SessionRequest__Output>
      SessionResponse: MessageTypeDefinition<_nas_v1_SessionResponse, _nas_v1_SessionResponse__Output>
      Skeleton: EnumTypeDefinition
      StepProgress: MessageTypeDefinition<_nas_v1_StepProgress, _nas_v1_StepProgress__Output>
      TrainRequest: MessageTypeDefinition<_nas_v1_TrainRequest, _nas_v1_TrainRequest__Output>
      TrainResponse: MessageTypeDefinition<_nas_v1_TrainResponse, _nas_v1_TrainResponse__Output>
      /**
       * A trainer: trains candidate networks, up to its capacity at once. Controllers run every trial
       * over Session (protocol 1.1 and later); Train is a compatibility shim for one-off calls.
       */
      TrainerService: SubtypeConstructor<typeof grpc.Client, _nas_v1_TrainerServiceClient> & { service: _nas_v1_TrainerServiceDefinition }
      TrainingSettings: MessageTypeDefinition<_nas_v1_TrainingSettings, _nas_v1_TrainingSettings__Output>
      TrialError: MessageTypeDefinition<_nas_v1_TrialError, _nas_v1_TrialError__Output>
      TrialResult: MessageTypeDefinition<_nas_v1_TrialResult, _nas_v1_TrialResult__Output>
      TrialStarted: MessageTypeDefinition<_nas_v1_TrialStarted, _nas_v1_TrialStarted__Output>
      TrialStatus: EnumTypeDefinition
    }
  }
}

